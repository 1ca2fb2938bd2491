certificates --org bad-csv-org.yaml control-csv.csv -o @OUT@/giay-khen.pdf
