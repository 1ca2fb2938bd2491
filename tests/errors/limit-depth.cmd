certificates limit-base.yaml --limit depth=4 -o @OUT@/limit-depth.pdf
