certificates --limit pages=0 limit-base.yaml -o @OUT@/limit-zero.pdf
