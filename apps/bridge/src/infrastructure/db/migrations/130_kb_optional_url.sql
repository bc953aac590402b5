-- An article's url is optional: a brand without a public help center shows the article's text (#27).
ALTER TABLE kb_articles ALTER COLUMN url DROP NOT NULL;
