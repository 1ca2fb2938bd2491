certificates svg-image-http.yaml -o @OUT@/giay-khen.pdf
