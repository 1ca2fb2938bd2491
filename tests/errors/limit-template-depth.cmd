certificates -l limit-template-depth.layout.yaml limit-base.yaml --limit template-depth=2 -o @OUT@/limit-template-depth.pdf
