certificates --org bad-csv-org.yaml csv-extra-cell.csv -o @OUT@/giay-khen.pdf
