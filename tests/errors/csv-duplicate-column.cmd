certificates --org bad-csv-org.yaml csv-duplicate-column.csv -o @OUT@/giay-khen.pdf
