certificates svg-image-truncated.yaml -o @OUT@/giay-khen.pdf
