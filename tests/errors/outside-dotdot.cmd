certificates outside-dotdot.yaml -o @OUT@/giay-khen.pdf
