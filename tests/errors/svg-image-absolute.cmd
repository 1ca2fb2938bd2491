certificates svg-image-absolute.yaml -o @OUT@/giay-khen.pdf
