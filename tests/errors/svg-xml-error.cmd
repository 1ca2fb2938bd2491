certificates svg-xml-error.yaml -o @OUT@/giay-khen.pdf
