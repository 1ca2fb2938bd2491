minutes minutes-field-misspelt.yaml -o @OUT@/bien-ban.pdf
