certificates recipients-csv-missing.yaml -o @OUT@/giay-khen.pdf
