certificates --limit foo=1 limit-base.yaml -o @OUT@/limit-unknown.pdf
