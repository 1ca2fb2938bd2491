certificates recipients-map.yaml -o @OUT@/giay-khen.pdf
