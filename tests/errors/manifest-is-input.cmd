certificates @IN@/a.yaml -o @OUT@/giay-khen.pdf --manifest @IN@/a.yaml
