certificates --org khong-co-org.yaml danh-sach.csv -o @OUT@/giay-khen.pdf
