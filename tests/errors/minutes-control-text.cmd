minutes minutes-control-text.yaml -o @OUT@/bien-ban.pdf
