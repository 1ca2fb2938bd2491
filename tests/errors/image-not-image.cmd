certificates image-not-image.yaml -o @OUT@/giay-khen.pdf
