certificates --input-format yaml danh-sach.csv -o @OUT@/giay-khen.pdf
