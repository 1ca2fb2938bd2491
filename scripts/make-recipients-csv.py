#!/usr/bin/env python3
"""make-recipients-csv.py N [FILE] - a recipient list of N rows as a spreadsheet exports it
(UTF-8, the header row 'ho_ten,gioi_tinh,chuc_vu,don_vi,thanh_tich,tap_the'), for the
scale tests (tests/run-scale.sh) and `make bench` (scripts/bench.sh). Realistic
Vietnamese names with diacritics, positions and units; about 5% collectives (tap_the),
10% with an achievement of their own (quoted, with commas and a doubled quote). The
same N gives the same bytes. Use with --org samples/org-phuong-ha-khanh.yaml.
--bad-row K makes data row K (1-based; line K + 1) a person with gioi_tinh 'khác', an
unknown gender (found when the record is checked); --extra-cell K gives data row K a
seventh cell 'x' (found when the list is read)."""
import random
import sys

FAM = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lâm Mai".split()
MALE_MID = "Văn Hữu Đức Minh Quốc Thanh Công Xuân Hoài Tấn Đình Trọng".split()
FEM_MID = "Thị Ngọc Thu Kim Thanh Mỹ Hồng Bích Thùy Diễm".split()
MALE = "An Bình Cường Dũng Hải Hùng Khánh Long Nam Phúc Quân Sơn Tâm Thắng Tuấn Việt Đạt".split()
FEM = "Anh Hà Hạnh Hòa Hương Lan Linh Mai Nga Ngọc Nhung Phương Thảo Trang Yến Ánh".split()
POS = ["Tổ trưởng Tổ dân phố", "Bí thư Chi bộ", "Chi hội trưởng Chi hội Phụ nữ", "Giáo viên",
       "Cán bộ Trạm Y tế phường", "Đoàn viên Chi đoàn", "Hội viên Hội Cựu chiến binh"]
COLL = ["Tổ dân phố số {}", "Chi hội Phụ nữ Khu phố {}", "Trường Mầm non Hà Khánh"]
REASON = ['"đã vận động Nhân dân hiến đất, góp công làm mới 1,2 km đường bê tông; 100% hộ '
          'gia đình đạt danh hiệu ""Gia đình văn hóa"" năm 2023"',
          '"đã tích cực tham gia giữ gìn an ninh trật tự, phát hiện và tố giác tội phạm"']


def main():
    args = sys.argv[1:]
    bad = extra = 0
    while len(args) >= 2 and args[0] in ("--bad-row", "--extra-cell"):
        if args[0] == "--bad-row":
            bad = int(args[1])
        else:
            extra = int(args[1])
        args = args[2:]
    if not args:
        sys.exit("usage: make-recipients-csv.py [--bad-row K] [--extra-cell K] N [FILE]")
    n = int(args[0])
    out = open(args[1], "w", encoding="utf-8", newline="") if len(args) > 1 else sys.stdout
    rnd = random.Random(20240329)
    out.write("ho_ten,gioi_tinh,chuc_vu,don_vi,thanh_tich,tap_the\n")
    for i in range(1, n + 1):
        unit = f"Tổ dân phố số {rnd.randint(1, 24)}"
        reason = rnd.choice(REASON) if rnd.random() < 0.10 else ""
        if rnd.random() < 0.05:
            row = ["", "", "", "", reason, rnd.choice(COLL).format(rnd.randint(1, 9))]
        else:
            if rnd.random() < 0.5:
                name, g = f"{rnd.choice(FAM)} {rnd.choice(MALE_MID)} {rnd.choice(MALE)}", "Nam"
            else:
                name, g = f"{rnd.choice(FAM)} {rnd.choice(FEM_MID)} {rnd.choice(FEM)}", "Nữ"
            row = [name, g, rnd.choice(POS), unit, reason, ""]
        if i == bad:  # a person, whatever the row would have been
            row = ["Nguyễn Văn Bình", "khác", "Giáo viên", unit, "", ""]
        if i == extra:
            row.append("x")
        out.write(",".join(row) + "\n")


main()
