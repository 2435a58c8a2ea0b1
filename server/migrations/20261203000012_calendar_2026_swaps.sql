-- The government's swaps of 2026, missing from the first calendar (rows an administrator has
-- entered for these days are kept).
INSERT INTO calendar_days (day, kind, name, note) VALUES
    ('2026-01-02', 'holiday', 'Nghỉ hoán đổi dịp Tết Dương lịch',
     'Chính phủ đồng ý hoán đổi ngày 25/12/2025, Bộ Nội vụ thông báo cùng ngày (báo 24h.com.vn, 26/12/2025); làm bù thứ Bảy 10/01/2026'),
    ('2026-01-10', 'working_day', 'Làm bù ngày 02/01/2026',
     'Chính phủ đồng ý hoán đổi ngày 25/12/2025, Bộ Nội vụ thông báo cùng ngày (báo 24h.com.vn, 26/12/2025)'),
    ('2026-08-31', 'holiday', 'Nghỉ hoán đổi dịp Quốc khánh',
     'Theo tin báo chí về Công văn 12729/VPCP-KGVX và Thông báo 9441/TB-BNV; chưa đối chiếu văn bản gốc; làm bù thứ Bảy 22/08/2026'),
    ('2026-08-22', 'working_day', 'Làm bù ngày 31/08/2026',
     'Theo tin báo chí về Công văn 12729/VPCP-KGVX và Thông báo 9441/TB-BNV; chưa đối chiếu văn bản gốc')
ON CONFLICT (day) DO NOTHING;
