certificates bad-yaml-syntax.yaml -o @OUT@/bad-yaml-syntax.pdf
