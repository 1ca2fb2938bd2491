certificates --org bad-csv-org.yaml encoding-ambiguous.csv -o @OUT@/a.pdf
