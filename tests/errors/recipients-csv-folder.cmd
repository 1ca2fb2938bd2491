certificates @IN@/recipients-csv-folder.yaml -o @OUT@/giay-khen.pdf
