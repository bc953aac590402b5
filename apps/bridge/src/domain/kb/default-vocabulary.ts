/**
 * The vocabulary shipped with the bridge: how members of any online service, and gamers in
 * particular, say things in English and Spanish. A brand adds its own in files beside its KB
 * (`synonyms.en.txt`, `synonyms.es.txt`, `glossary.txt`, same format), which are read after these.
 *
 * Synonyms: one group a line, comma-separated words or phrases a member uses for the same thing.
 * Glossary: `English = Spanish`, each side comma-separated, for questions in one language about
 * articles in the other.
 */
export const DEFAULT_SYNONYMS_EN = `
password, pw, pwd, passwd
account, acc, acct, profile
log in, login, sign in, signin, logon, log on
log out, logout, sign out
two-factor, 2fa, mfa, two factor, 2 factor, two-step, 2-step, authenticator, 2sv
verification code, security code, otp, one-time code
email, e-mail, mail, inbox
username, user name, display name, nickname, gamertag
hacked, compromised, stolen account, account stolen, hijacked, someone got into my account
lag, laggy, lagging, ping, latency, rubberbanding, rubber banding, rubber-banding, delay
packet loss, packetloss, packet drop
crash, crashes, crashing, crashed, closes, shuts down, force closes, quits, kicks me out
freeze, freezes, frozen, hangs, stuck, not responding, unresponsive
disconnect, disconnected, dc, dcs, disconnecting, kicked, dropped
connect, connection, connectivity, network, internet, wifi, wi-fi
server, servers, servs
outage, offline, servers down, server down, maintenance, downtime
fps, framerate, frame rate, frames, frames per second
stutter, stuttering, choppy, laggy frames, micro stutter
performance, perf, runs badly, runs slow
update, patch, updating, new version, hotfix
startup, start, start up, launch, boot, starting up
install, installation, reinstall
download, downloading, dl
launcher, game client
refund, money back, reimburse, reimbursement, give back my money
purchase, buy, bought, order, transaction
payment, pay, paid, payed, charge, charged, billing
card, credit card, debit card
cancel, cancellation, unsubscribe
delete, remove, erase, deactivate
subscription, sub, membership, plan
price, cost, fee, fees
receipt, invoice, proof of purchase
missing, didnt get, didnt receive, never got, never arrived, not received, lost
error, error code, err
bug, glitch, issue, broken, exploit
report, flag
ban, banned, suspended, suspension, restricted, penalty
appeal, unban, dispute a ban
cheat, cheater, cheating, hacker, hacks, aimbot, wallhack, cheats
toxic, harassment, harassing, abuse, abusive, bullying, insults
feedback, suggestion, suggest, idea, feature request, request a feature, wishlist
delete account, close account, remove account, deactivate account
privacy, personal data, my data, gdpr
child, kid, kids, son, daughter, children, minor, underage
parent, parents, parental
controller, gamepad, pad, joystick, controler
keyboard, kb, keys, keybinds, key bindings, bindings
mouse, sensitivity, sens, dpi
microphone, mic, headset, voice chat, vc
phone, mobile, smartphone, cell phone, cellphone, mobile phone
tablet, ipad
android, samsung, android phone
ios, iphone, apple
pc, computer, desktop, laptop, windows pc
console, consoles
playstation, ps4, ps5, psn, play station
xbox, xbox one, xbox series
switch, nintendo switch, nintendo
cross-play, crossplay, cross platform, cross-platform
progress, progression, save, saves, save data
friend, friends, buddy, party
rank, ranked, elo, mmr, competitive, ranking
season, seasonal
rewards, reward, prizes, prize, loot, drops
tournament, tourney, competition, event
skin, skins, cosmetic, cosmetics, outfit
currency, coins, gems, points, credits
battle pass, battlepass, bp, pass
xp, exp, experience
link, linking, connect accounts, pair
help, support, assistance, customer service, helpdesk
agent, human, staff
not working, doesnt work, wont work, broken, fails, failing
slow, takes forever, taking forever
`;

export const DEFAULT_SYNONYMS_ES = `
contraseña, contrasena, clave, password
cuenta, perfil
iniciar sesion, inicio de sesion, entrar, acceder, loguear, loguearme, logearme, login
cerrar sesion, salir
verificacion en dos pasos, doble factor, dos factores, 2fa, autenticador, verificacion en dos pasos
correo, email, mail, correo electronico
hackearon, hackeada, hackeado, robaron la cuenta, me robaron, comprometida
lag, ping, latencia, retraso, va con retraso, tirones de red
se cierra, se me cierra, cierra solo, crashea, crashear, se crashea, se traba, se cuelga
congela, congelado, se queda pillado, se queda colgado, no responde
desconecta, desconectado, desconexion, me echa, me saca, se cae la conexion
conexion, red, internet, wifi
servidor, servidores, servers, server
caida, caido, caidos, mantenimiento, fuera de servicio
fps, imagenes por segundo, cuadros por segundo
tirones, va a saltos, lagea, trabado
rendimiento, va lento, va mal
actualizacion, actualizar, parche, nueva version
instalar, instalacion, reinstalar
descargar, descarga
reembolso, devolucion, devolver el dinero, recuperar el dinero
compra, comprar, compre, pedido, transaccion
pago, pagar, pague, cobro, cobraron, cargo, facturacion
tarjeta, tarjeta de credito, tarjeta de debito
cancelar, dar de baja, anular, darme de baja
borrar, eliminar, suprimir
suscripcion, membresia, plan
precio, coste, costo, comision, comisiones
recibo, factura, comprobante, justificante
no recibi, no me llego, no me llegaron, no aparece, no me aparece, falta, faltan
error, codigo de error, fallo
bug, fallo, glitch, error del juego
reportar, denunciar, informar
baneo, baneado, banearon, suspension, suspendida, suspendido, sancion
apelar, apelacion, reclamar
trampas, tramposo, tramposos, hacker, hackers, cheats, chetos, chetado, aimbot
toxico, acoso, acosando, insultos, abuso
sugerencia, idea, propuesta, sugerir
privacidad, datos personales, mis datos
hijo, hija, hijos, nino, nina, menor, menores, crio
padres, parental, padre, madre
mando, control, joystick, gamepad
teclado, teclas, atajos
raton, mouse, sensibilidad
microfono, micro, auriculares, chat de voz
movil, celular, telefono, smartphone, cel
tablet, tableta
pc, ordenador, computadora, compu, portatil, laptop
consola, consolas
playstation, play, ps4, ps5, la play
juego cruzado, crossplay, multiplataforma
progreso, progresion, partida guardada
amigo, amigos, grupo, party
rango, clasificatoria, competitivo, ranked, elo
temporada
recompensas, premios, premio, botin
torneo, torneos, competicion, evento
aspecto, aspectos, skin, skins
monedas, gemas, puntos, creditos
pase de batalla, pase, battle pass
vincular, enlazar, conectar cuentas, asociar
ayuda, soporte, atencion al cliente
no funciona, no va, no sirve, falla
`;

export const DEFAULT_GLOSSARY = `
password = contraseña, clave
account = cuenta
log in, sign in, login = iniciar sesion, entrar, acceder
log out = cerrar sesion
two-factor authentication, 2fa = verificacion en dos pasos, doble factor, autenticacion en dos pasos
authenticator = autenticador
code = codigo
email = correo
username = nombre de usuario
hacked = hackeada, hackearon, pirateada
stolen = robada, robaron, robo
recover, recovery = recuperar, recuperacion
reset = restablecer, resetear, reiniciar
change = cambiar, cambio
forgot = olvide, olvidaste, olvido
lost = perdi, perdida, perdido
security = seguridad
lag, latency = lag, latencia, retraso
ping = ping
packet loss = perdida de paquetes
crash, crashes, crashing = se cierra, cierre, crashea, se cuelga
closes = se cierra, cierra
freeze, stuck = se congela, atascado, se queda
launch, start = iniciar, arrancar, abrir
disconnect, disconnected = desconexion, desconectado, me echa
connection = conexion
network = red
server, servers = servidor, servidores
status = estado
down = caido, caidos, caida
maintenance = mantenimiento
performance = rendimiento
stutter, stuttering = tirones, saltos
graphics = graficos, grafica
drivers = drivers, controladores
settings = ajustes, configuracion, opciones
update = actualizacion, actualizar
install = instalar, instalacion
download = descargar, descarga
refund = reembolso, devolucion
money = dinero
money back = devolver el dinero
purchase, buy, bought = compra, comprar, compre
payment, pay, paid = pago, pagar, pague
charge, charged = cobro, cargo, cobraron
card = tarjeta
bank = banco
transfer = transferencia
cancel = cancelar, dar de baja
delete = borrar, eliminar
close = cerrar
subscription = suscripcion
price, cost = precio, coste
fee, fees = comision, comisiones, tarifa
receipt = recibo, justificante, comprobante
invoice = factura
missing, not received = no recibi, no llego, no aparece, faltan
received = recibi, recibido
pending = pendiente
error = error, fallo
bug = bug, fallo, error
report = reportar, denunciar, reporte
ban, banned = baneo, baneado, banearon
suspended, suspension = suspendido, suspension
appeal = apelar, apelacion
cheat, cheating, cheater = trampas, tramposo, hacer trampa
player = jugador
harassment = acoso
toxic = toxico
feedback = comentarios, opinion
suggestion, idea = sugerencia, idea
feature = funcionalidad, nueva funcion
privacy = privacidad
data = datos
child, kid = hijo, nino, menor
parental controls = control parental, controles parentales
spending = gasto, gastos
limit, limits = limite, limites
controller = mando
keyboard = teclado
keybinds, keys = teclas
mouse = raton
microphone = microfono
phone, mobile = movil, celular, telefono
tablet = tablet, tableta
computer, pc = ordenador, computadora, pc
console = consola
cross-play = juego cruzado
progress, progression = progreso, progresion
platform = plataforma
friend, friends = amigo, amigos
match, matches = partida, partidas
matchmaking = emparejamiento
rank = rango
ranked = clasificatoria
season = temporada
decay = decaimiento, bajada, perder rango
placement = posicionamiento, clasificacion
queue = cola
lobby = sala
level, tier = nivel
points = puntos
coins, currency = monedas
gift = regalo
redeem = canjear
bundle = lote, paquete
item, items = objeto, objetos
premium = premium
unlock = desbloquear
voice chat = chat de voz
mute = silenciar
block = bloquear
party = grupo
guild, clan = clan
region = region
language = idioma
account level = nivel de cuenta
screen freeze = pantalla congelada
black screen = pantalla negra
storage, space = almacenamiento, espacio
battery = bateria
overheating = sobrecalentamiento
antivirus = antivirus
firewall = firewall, cortafuegos
router = router
vpn = vpn
reset = reinicio
rewards, prize = recompensas, premio
tournament = torneo
sign up, register = inscribirme, inscripcion, registrarme
team = equipo
skin = aspecto
battle pass = pase de batalla
store, shop = tienda
inventory = inventario
link = vincular
unlink = desvincular
screen = pantalla
loading = carga, cargando
game = juego
help = ayuda
not working = no funciona
new = nuevo, nueva
old = antiguo, viejo
slow = lento
fast = rapido
free = gratis
week = semana
day, days = dia, dias
hour, hours = hora, horas
`;
