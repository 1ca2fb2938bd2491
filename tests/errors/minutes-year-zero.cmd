minutes minutes-year-zero.yaml -o @OUT@/bien-ban.pdf
