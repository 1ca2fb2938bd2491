certificates -l @IN@/giay-khen.yaml @IN@/a.yaml -o @IN@/giay-khen.yaml
