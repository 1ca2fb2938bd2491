bulletin --month 2024-11 @IN@/ban-tin --format pdf -o @IN@/ban-tin/anh/huy-hieu.png
