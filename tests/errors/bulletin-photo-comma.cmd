bulletin @IN@/bulletin-photo-comma.yaml --month 2024-11 -o @OUT@/ban-tin.pdf
