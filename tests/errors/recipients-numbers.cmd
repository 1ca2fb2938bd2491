certificates recipients-numbers.yaml -o @OUT@/giay-khen.pdf
