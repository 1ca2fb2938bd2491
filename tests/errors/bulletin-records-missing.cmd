bulletin --month 2024-11 khong-co.yaml -o @OUT@/ban-tin.pdf
