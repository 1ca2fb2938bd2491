certificates --org bad-csv-org.yaml bad-csv.csv -o @OUT@/bad-csv.pdf
