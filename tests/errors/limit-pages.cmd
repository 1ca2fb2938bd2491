minutes limit-pages.yaml --limit pages=1 -o @OUT@/limit-pages.pdf
