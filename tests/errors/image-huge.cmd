certificates image-huge.yaml -o @OUT@/giay-khen.pdf
