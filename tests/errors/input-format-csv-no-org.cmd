certificates --input-format csv danh-sach-loi.txt -o @OUT@/giay-khen.pdf
