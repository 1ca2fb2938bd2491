certificates image-svg-canvas.yaml -o @OUT@/giay-khen.pdf
