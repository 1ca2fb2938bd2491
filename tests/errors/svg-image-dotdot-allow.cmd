certificates --allow-outside svg-image-dotdot.yaml -o @OUT@/giay-khen.pdf
