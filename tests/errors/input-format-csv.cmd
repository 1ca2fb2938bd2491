certificates --input-format csv --org bad-csv-org.yaml danh-sach-loi.txt -o @OUT@/giay-khen.pdf
