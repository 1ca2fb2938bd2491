certificates --org bad-csv-org.yaml tcvn3.csv -o @OUT@/tcvn3.pdf
