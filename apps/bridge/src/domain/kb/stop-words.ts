/**
 * Words that say nothing about what a member needs, in English and Spanish: the Snowball
 * projects' stop-word lists (function words, and the forms of be/have/do, ser/estar/haber/tener),
 * plus the chat fillers members put around a question (hi, pls, thanks, hola, porfa). Written
 * without accents or apostrophes, as the analyser folds words before looking them up.
 *
 * @see https://snowballstem.org/algorithms/english/stop.txt
 * @see https://snowballstem.org/algorithms/spanish/stop.txt
 */
const ENGLISH = `
i me my myself we us our ours ourselves you your yours yourself yourselves he him his himself she
her hers herself it its itself they them their theirs themselves what which who whom this that
these those am is are was were be been being have has had having do does did doing would should
could ought im youre hes shes its were theyre ive youve weve theyve id youd hed shed wed theyd ill
youll hell shell well theyll isnt arent wasnt werent hasnt havent hadnt doesnt dont didnt wont
wouldnt shant shouldnt cant cannot couldnt mustnt lets thats whos whats heres theres whens wheres
whys hows a an the and but if or because as until while of at by for with about against between
into through during before after above below to from up in out on off over under again
further then once here there when where why how all any both each few more most other some such no
nor not only own same so than too very can will just also may might must shall get got gets
getting really still even yet ever keep keeps kept
hi hey hello yo hiya please pls plz thanks thank thx ty guys guy anyone someone somebody everyone
ok okay yeah yes yep lol sorry anybody help helpme halp idk tho though pretty kinda like im
`;

const SPANISH = `
de la que el en y a los del se las por un para con no una su al lo como mas pero sus le ya o este
si porque esta entre cuando muy sin sobre tambien me hasta hay donde quien desde todo nos durante
todos uno les ni contra otros ese eso ante ellos e esto mi antes algunos que unos yo otro otras
otra el tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros
mis tu te ti tus ellas nosotras vosotros vosotras os mio mia mios mias tuyo tuya tuyos tuyas suyo
suya suyos suyas nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos esas
estoy estas esta estamos estais estan este estes estemos esteis esten estare estaras estara
estaremos estareis estaran estaria estarias estariamos estariais estarian estaba estabas
estabamos estabais estaban estuve estuviste estuvo estuvimos estuvisteis estuvieron estado
estando he has ha hemos habeis han haya hayas hayamos hayais hayan habia habias habiamos habiais
habian hube hubo habido soy eres es somos sois son sea seas seamos seais sean sere seras sera
seremos sereis seran seria serias seriamos seriais serian era eras eramos erais eran fui fuiste
fue fuimos fuisteis fueron sido siendo tengo tienes tiene tenemos teneis tienen tenga tengas
tengamos tengais tengan tenia tenias teniamos teniais tenian tuve tuviste tuvo tuvimos tuvisteis
tuvieron tenido teniendo cual cuales cuanto cuanta cuantos cuantas alguien aqui ahi alli asi
hola holi buenas buenos porfa porfavor favor gracias vale ok oye alguno alguna ayuda ayudame solo
solamente tambien pues entonces luego aun todavia
`;

function wordsOf(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

export const STOP_WORDS: Record<'en' | 'es', ReadonlySet<string>> = {
  en: wordsOf(ENGLISH),
  es: wordsOf(SPANISH),
};

/** Stop words of one language that the other one does not drop: evidence of the language. */
export const LANGUAGE_MARKERS: Record<'en' | 'es', ReadonlySet<string>> = {
  en: new Set([...STOP_WORDS.en].filter((word) => !STOP_WORDS.es.has(word) && word.length > 1)),
  es: new Set([...STOP_WORDS.es].filter((word) => !STOP_WORDS.en.has(word) && word.length > 1)),
};
