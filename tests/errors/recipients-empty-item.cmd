certificates recipients-empty-item.yaml -o @OUT@/giay-khen.pdf
