bulletin --month 2024-11 @IN@/ban-tin -o @IN@/ban-tin/phuong-11-2024-11.yaml
