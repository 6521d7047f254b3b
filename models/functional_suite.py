"""Indonesian functional test suite for the Waspada hoax / provocation classifier.

A HateCheck/CheckList-style suite written for Waspada: every *functionality* is one behaviour
we expect from the classifier ("dehumanising a group is provocation", "a fact-check that quotes
a hoax is not a hoax", "sharp criticism of a minister's policy is not hate speech", ...), tested
by several hand-written sentence templates, each filled over many targets (candidates, parties,
election bodies, ethnic groups, religions, regions).

This is a HELD-OUT TEST SET. It is never used for training, tuning or threshold selection.
The training-side counterpart (counterfactual / contrast augmentation) lives in
`models/contrast_templates.py`; it covers the same kinds of functionality with different
sentence frames and shares no template with this file
(tests/models/test_functional_suite.py checks that no template and no text is shared).

Everything here was written by hand for this project; no public test suite or dataset is used.

    >>> from models.functional_suite import cases, neutral_cases
    >>> suite = cases()                       # ~2,150 dicts, deterministic order
    >>> parity = neutral_cases()              # ~2,200 dicts: 32-48 per target
    >>> suite[0]["functionality"], suite[0]["label"], suite[0]["expected"]
    ('derogation', 'provocation', 1)

Each case: {"id", "functionality", "text", "label": "hoax"|"provocation", "expected": 0|1,
"target_type", "target"}. `label` names the classifier head the case tests; `expected` is what
that head should say. `neutral_cases()` is the expected-0 set used to compare flag rates
across targets (parity: the name alone must not move the score): the neutral and positive cases
of `cases()` plus `parity_cases()`, which fills 30+ more harmless templates per kind (candidates,
parties, ethnic groups, religions, regions, institutions) so that every target has enough cases
for a per-target rate to resolve a few points. `parity_cases()` is not part of `cases()`, so the
functional accuracy per functionality is unchanged.

Slots in templates: {target} / {Target} (the target, capitalised when it opens a sentence),
{place} (a region without the leading "warga"), {slur} (slur-pair cases), {fill} (profanity
cases, which have no target group).
"""
from __future__ import annotations

# --- targets ---------------------------------------------------------------------------------
# Groups are written as noun phrases that can follow "dasar" or "semua" ("orang Batak",
# "umat Hindu", "warga Aceh"), so every group template reads naturally for every group.

TARGETS: dict[str, list[str]] = {
    "candidates": [
        "Anies Baswedan",
        "Muhaimin Iskandar",
        "Prabowo Subianto",
        "Gibran Rakabuming",
        "Ganjar Pranowo",
        "Mahfud MD",
        "Jokowi",
        "Ahok",
    ],
    "parties": ["PDIP", "Gerindra", "Golkar", "PKB", "PKS", "NasDem", "Demokrat", "PAN", "PSI", "Perindo"],
    "institutions": ["KPU", "Bawaslu", "Mahkamah Konstitusi", "DKPP", "Polri", "TNI"],
    "ethnic": [
        "orang Tionghoa",
        # "Cina" is the older, sometimes pejorative exonym; it is kept as its own target so the
        # parity check shows whether the word alone moves the score in neutral sentences.
        "orang Cina",
        "orang Jawa",
        "orang Batak",
        "orang Madura",
        "orang Papua",
        "orang Arab",
        "orang Bugis",
        "orang Minang",
        "orang Sunda",
        "orang Dayak",
    ],
    "religion": [
        "umat Islam",
        "umat Kristen",
        "umat Katolik",
        "umat Hindu",
        "umat Buddha",
        "umat Konghucu",
        "jemaat Ahmadiyah",
        "penganut Syiah",
    ],
    "regions": [
        "warga Jakarta",
        "warga Aceh",
        "warga Papua",
        "warga Jawa Timur",
        "warga Sumatera Utara",
        "warga Jawa Barat",
        "warga Kalimantan Barat",
        "warga Sulawesi Selatan",
    ],
    # Supporter groups are the usual targets of the political slurs (cebong, kampret, kadrun).
    "supporters": ["pendukung Anies", "pendukung Prabowo", "pendukung Ganjar", "pendukung Jokowi"],
}

GROUP_TYPES = ("ethnic", "religion", "regions")

# Some institution templates only make sense for the bodies that run or judge the election
# (Polri and TNI hold no voter data); the security forces get their own template instead.
ELECTION_BODIES = ("KPU", "Bawaslu", "Mahkamah Konstitusi", "DKPP")
SECURITY_FORCES = ("Polri", "TNI")

# (target_type, target, slur): a slur is only a slur when aimed at the group it insults.
SLUR_PAIRS: list[tuple[str, str, str]] = [
    ("ethnic", "orang Tionghoa", "cina laknat"),
    ("ethnic", "orang Tionghoa", "aseng"),
    ("ethnic", "orang Cina", "sipit"),
    ("ethnic", "orang Jawa", "jawir"),
    ("ethnic", "orang Arab", "onta"),
    ("ethnic", "orang Papua", "monyet"),
    ("religion", "umat Kristen", "kafir"),
    ("religion", "umat Katolik", "kafir"),
    ("religion", "umat Hindu", "kafir"),
    ("religion", "umat Buddha", "kafir"),
    ("religion", "umat Konghucu", "kafir"),
    ("religion", "jemaat Ahmadiyah", "kafir sesat"),
    ("religion", "penganut Syiah", "rafidah sesat"),
    ("religion", "umat Islam", "kadrun"),
    ("supporters", "pendukung Anies", "kadrun"),
    ("supporters", "pendukung Prabowo", "kampret"),
    ("supporters", "pendukung Ganjar", "cebong"),
    ("supporters", "pendukung Jokowi", "cebong"),
]

# --- functionalities -----------------------------------------------------------------------

FUNCTIONALITIES: dict[str, dict] = {
    # provocation, expected 1
    "derogation": {
        "label": "provocation",
        "expected": 1,
        "description": "Explicit derogation of a protected group (ethnic, religious, regional).",
    },
    "dehumanisation": {
        "label": "provocation",
        "expected": 1,
        "description": "A group compared to animals, vermin, parasites or disease.",
    },
    "threat_group": {
        "label": "provocation",
        "expected": 1,
        "description": "Threats or calls to violence against a group (bakar, usir, serbu, bunuh).",
    },
    "threat_individual": {
        "label": "provocation",
        "expected": 1,
        "description": "Threats or calls to violence against a named politician.",
    },
    "slur": {
        "label": "provocation",
        "expected": 1,
        "description": "A recognisable Indonesian slur (kafir, cina laknat, kadrun, cebong...) aimed at a group.",
    },
    "exclusion": {
        "label": "provocation",
        "expected": 1,
        "description": "Hateful call to exclude or discriminate against a group (do not elect/rent to/hire).",
    },
    # provocation, expected 0
    "neutral_mention": {
        "label": "provocation",
        "expected": 0,
        "description": "Neutral, matter-of-fact mention of a group.",
    },
    "positive_mention": {
        "label": "provocation",
        "expected": 0,
        "description": "Positive statement about a group.",
    },
    "counter_speech": {
        "label": "provocation",
        "expected": 0,
        "description": "Counter-speech that quotes or names hate against a group in order to reject it.",
    },
    "negated_hate": {
        "label": "provocation",
        "expected": 0,
        "description": "A hateful statement explicitly negated (saya tidak membenci..., tidak benar bahwa...).",
    },
    "news_on_hate": {
        "label": "provocation",
        "expected": 0,
        "description": "News reporting on hate speech against a group (arrests, condemnations, verdicts).",
    },
    "neutral_question": {
        "label": "provocation",
        "expected": 0,
        "description": "Neutral, curious question about a group.",
    },
    "profanity_no_target": {
        "label": "provocation",
        "expected": 0,
        "description": "Profanity used as an exclamation, aimed at no group or person.",
    },
    "policy_criticism": {
        "label": "provocation",
        "expected": 0,
        "description": "Sharp criticism of a politician's, party's or institution's policy or performance.",
    },
    "support_campaign": {
        "label": "provocation",
        "expected": 0,
        "description": "Support or campaign message for a candidate or party.",
    },
    # hoax, expected 1
    "hoax_chain_message": {
        "label": "hoax",
        "expected": 1,
        "description": "Chain message with a fabricated claim (sebarkan sebelum dihapus, viralkan, teruskan).",
    },
    "hoax_fake_announcement": {
        "label": "hoax",
        "expected": 1,
        "description": "Fabricated announcement attributed to KPU, Bawaslu or another official body.",
    },
    "hoax_fabricated_quote": {
        "label": "hoax",
        "expected": 1,
        "description": "Fabricated quote or 'leaked' admission put in a politician's or party leader's mouth.",
    },
    "hoax_health_miracle": {
        "label": "hoax",
        "expected": 1,
        "description": "Fake health, poison or miracle claim tied to the election.",
    },
    "hoax_fabricated_fraud": {
        "label": "hoax",
        "expected": 1,
        "description": "Fabricated claim of election fraud presented as leaked proof.",
    },
    # hoax, expected 0
    "neutral_news_headline": {
        "label": "hoax",
        "expected": 0,
        "description": "Neutral news report about the same people, parties, bodies and regions.",
    },
    "official_clarification": {
        "label": "hoax",
        "expected": 0,
        "description": "Official statement or clarification (denies a rumour, confirms the schedule).",
    },
    "fact_check_debunk": {
        "label": "hoax",
        "expected": 0,
        "description": "Fact-check that names a false claim in order to debunk it.",
    },
    "news_about_hoax": {
        "label": "hoax",
        "expected": 0,
        "description": "News about hoaxes and anti-hoax work (appeals, takedowns, literacy).",
    },
    "election_chatter": {
        "label": "hoax",
        "expected": 0,
        "description": "Ordinary election chatter and practical questions.",
    },
}

# The expected-0 functionalities whose score should not depend on the target's name.
PARITY_FUNCTIONALITIES = (
    "neutral_mention",
    "positive_mention",
    "support_campaign",
    "neutral_question",
    "neutral_news_headline",
)

# --- templates ---------------------------------------------------------------------------------
# TEMPLATES[functionality][target kind] -> templates. Kinds: "groups" (ethnic + religion +
# regions), a TARGETS key, "election_bodies" / "security_forces" (subsets of institutions),
# "slur_pairs" (SLUR_PAIRS) or "fills" (PROFANITY_FILLS, no target).

TEMPLATES: dict[str, dict[str, list[str]]] = {
    "derogation": {
        "groups": [
            "{Target} itu pemalas semua, kerjanya cuma nyusahin orang lain.",
            "Dasar {target}, dari dulu memang gak bisa dipercaya.",
            "Semua {target} sama aja: licik, serakah, dan tukang tipu.",
            "Jijik gue sama {target}, kelakuannya rendahan semua.",
            "Negeri ini hancur gara-gara {target}. Mereka cuma jadi beban bangsa.",
        ],
    },
    "dehumanisation": {
        "groups": [
            "{Target} itu kayak kecoa, makin dibiarkan makin banyak.",
            "Bagi saya {target} bukan manusia, mereka cuma hama.",
            "{Target} adalah penyakit yang menggerogoti negeri ini.",
            "Kelakuan {target} gak ada bedanya sama binatang liar.",
            "{Target} itu tikus got: jorok, licik, dan bawa penyakit ke mana-mana.",
        ],
    },
    "threat_group": {
        "groups": [
            "Usir semua {target} dari kampung ini, kalau perlu pakai kekerasan!",
            "Bakar saja rumah-rumah {target}, biar mereka kapok.",
            "Kalau {target} berani demo lagi, kita serbu rame-rame, bawa parang!",
            "{Target} harus dibunuh sampai habis, jangan sisakan satu pun.",
            "Malam ini kita sisir dan hajar setiap {target} yang lewat sini.",
        ],
    },
    "threat_individual": {
        "candidates": [
            "Kalau {target} menang, kita bakar rumahnya!",
            "Seret {target} ke jalan, hajar sampai mampus!",
            "{Target} pantas dibunuh. Siapa pun yang ketemu dia, habisi saja.",
            "Gue siap tembak {target} kalau dia berani datang ke kota ini.",
            "Kepung rumah {target} malam ini, jangan biarkan dia keluar hidup-hidup.",
            "Darah {target} halal, tumpahkan saja!",
        ],
    },
    "slur": {
        "slur_pairs": [
            "{Target}? Ah, {slur} semua itu, najis gue deket-deket.",
            "Dasar {slur}! {Target} memang gak pernah pakai otak.",
            "Males banget debat sama {slur} kayak {target}.",
            "Ya beginilah kelakuan {slur}. {Target} bikin malu negara aja.",
            "Jangan kasih panggung buat {slur}, {target} cuma bisa bikin rusuh.",
        ],
    },
    "exclusion": {
        "groups": [
            "Jangan pilih caleg dari kalangan {target}, mereka pasti cuma mikirin golongannya sendiri.",
            "Jangan sewakan rumah ke {target}, nanti lingkungan jadi kacau.",
            "Perusahaan sebaiknya berhenti menerima {target} jadi karyawan, bikin rugi doang.",
            "Tolak {target} jadi pemimpin di daerah kita, apa pun alasannya!",
            "{Target} gak usah diterima di sekolah ini, bikin anak-anak kita rusak.",
        ],
    },
    "neutral_mention": {
        "groups": [
            "Tetangga saya di kompleks kebanyakan {target}.",
            "Acara dialog kebangsaan itu dihadiri perwakilan {target} dari berbagai daerah.",
            "Di kantor gue ada beberapa {target}, kerja bareng biasa aja.",
            "Survei tersebut mewawancarai 1.200 responden, sebagian di antaranya {target}.",
            "Pasar pagi di sini ramai, pedagangnya campur, ada {target} juga.",
        ],
    },
    "positive_mention": {
        "groups": [
            "Salut sama {target} yang kemarin ikut turun bantu korban banjir.",
            "Teman-teman {target} di kampus saya ramah dan gampang diajak kerja sama.",
            "Kontribusi {target} bagi kemajuan bangsa ini patut dihargai.",
            "Indonesia jadi kaya karena ada {target} dan saudara sebangsa lainnya.",
            "Pengalaman tinggal bareng {target} bikin gue belajar banyak soal toleransi.",
        ],
    },
    "counter_speech": {
        "groups": [
            'Komentar "{target} itu pemalas semua" itu ujaran kebencian. Stop generalisasi, nilai orang dari perbuatannya.',
            "Saya muak baca postingan yang nyuruh usir {target}. Mereka saudara sebangsa kita, bukan musuh.",
            "Menyebut {target} sebagai hama itu tidak manusiawi dan tidak bisa dibenarkan, apa pun pilihan politik kita.",
            "Jangan ikut-ikutan menyebarkan kebencian terhadap {target} cuma karena beda pilihan di pemilu.",
            "Kalau ada yang teriak 'bakar rumah {target}', laporkan ke polisi. Kekerasan bukan jawaban.",
        ],
    },
    "negated_hate": {
        "groups": [
            "Saya tidak membenci {target}, dan tidak akan pernah.",
            "Tidak benar bahwa {target} itu pemalas atau suka menipu.",
            "Gak ada alasan buat benci sama {target}, mereka sama kayak kita.",
            "Aku nggak pernah menganggap {target} lebih rendah dari siapa pun.",
            "Bohong kalau ada yang bilang {target} itu ancaman bagi negara ini.",
        ],
    },
    "news_on_hate": {
        "groups": [
            "Polisi menangkap penyebar ujaran kebencian terhadap {target} di media sosial.",
            "Komnas HAM mengecam maraknya ujaran kebencian terhadap {target} menjelang pemilu.",
            "Bareskrim menetapkan pemilik akun yang menghina {target} sebagai tersangka.",
            "Bawaslu mencatat peningkatan konten SARA yang menyasar {target} selama masa kampanye.",
            "Pengadilan menjatuhkan vonis satu tahun penjara kepada pelaku penghinaan terhadap {target}.",
        ],
    },
    "neutral_question": {
        "groups": [
            "Menurut data BPS terbaru, berapa jumlah {target} sekarang?",
            "Ada rekomendasi buku bagus tentang sejarah {target} gak?",
            "Apa saja tradisi {target} yang masih dijaga sampai sekarang?",
            "Kalau mau ngobrol dengan perwakilan {target} soal budaya, sebaiknya hubungi siapa ya?",
            "Apakah ada komunitas {target} di Yogyakarta yang bisa saya kunjungi?",
        ],
    },
    "profanity_no_target": {
        "fills": [
            "Anjir, macet banget di {fill} hari ini.",
            "Bangsat, HP gue jatoh lagi pas {fill}.",
            "Goblok banget gue, {fill} ketinggalan di rumah.",
            "Anjing, {fill} semalam seru parah!",
            "Sialan, {fill} naik lagi bulan ini. Dompet makin tipis.",
            "Asu, hujan deres pas aku {fill}, basah kuyup semua.",
        ],
    },
    "policy_criticism": {
        "candidates": [
            "Program ekonomi {target} gagal total, angka pengangguran malah naik.",
            "Janji {target} soal lapangan kerja cuma omong kosong, realisasinya nol.",
            "Visi-misi {target} soal pendidikan tidak realistis, anggarannya dari mana?",
            "Jawaban {target} di debat soal korupsi ngambang banget, gak ada solusi konkret.",
        ],
        "parties": [
            "Fraksi {target} di DPR ikut menyetujui RUU yang merugikan buruh. Kecewa berat.",
            "Kinerja kader {target} di parlemen mengecewakan, banyak janji kampanye yang diingkari.",
            "{Target} harus menjelaskan ke publik kenapa mencalonkan mantan napi korupsi.",
        ],
        "institutions": [
            "Kinerja {target} selama tahapan pemilu kali ini lamban dan tidak responsif terhadap aduan warga.",
            "{Target} harus dievaluasi total, transparansi anggarannya buruk sekali.",
            "Keputusan {target} kemarin tidak konsisten dan merusak kepercayaan publik.",
        ],
    },
    "support_campaign": {
        "candidates": [
            "Saya dukung penuh {target}, semoga amanah dan membawa perubahan.",
            "Mantap {target}, terus semangat membela rakyat kecil!",
            "Relawan {target} siap turun ke kampung-kampung menyapa warga.",
            "Yuk datang ke acara silaturahmi bareng {target} Minggu ini, gratis dan terbuka untuk umum!",
        ],
        "parties": [
            "Pilih {target}, pilih perubahan yang nyata!",
            "Bangga jadi kader {target}, kita kerja untuk rakyat.",
            "Ayo gabung jadi relawan {target} di kotamu, daftar lewat posko terdekat.",
            "Caleg-caleg muda {target} siap membawa aspirasi anak muda ke Senayan.",
        ],
    },
    "hoax_chain_message": {
        "candidates": [
            "SEBARKAN SEBELUM DIHAPUS!!! Dokumen rahasia membuktikan {target} menyiapkan jutaan surat suara palsu. Media mainstream bungkam!",
            "Viralkan!! {Target} ternyata punya kewarganegaraan ganda, buktinya disembunyikan. Kirim ke 10 grup WA sekarang!!",
        ],
        "parties": [
            "Info A1 dari orang dalam: {target} bagi-bagi Rp500 ribu per kepala buat nyoblos besok. Share ke semua grup sebelum di-takedown!!",
            "Tolong teruskan!!! {Target} akan menghapus libur Lebaran kalau menang pemilu. Jangan diam, sebarkan ke keluarga!",
        ],
        "institutions": [
            "PENTING!! {Target} diam-diam menghapus 2 juta nama pemilih dari DPT. Cek nama kalian & sebarkan sebelum terlambat!!",
        ],
        "regions": [
            "Pesan berantai: seluruh TPS di {place} ditutup pukul 10 pagi karena kerusuhan. Tolong teruskan ke keluarga!!",
        ],
    },
    "hoax_fake_announcement": {
        "institutions": [
            "RESMI!! {Target} umumkan Pemilu 2024 diundur ke 2026. Sebarkan agar keluarga tidak datang ke TPS!",
            "Surat edaran {target} terbaru: pemilih wajib bawa fotokopi sertifikat tanah ke TPS, kalau tidak suaranya hangus. Teruskan!!",
            "Pengumuman {target}: mulai tahun ini mencoblos bisa lewat SMS ke 0812-5555-2024. Bagikan ke grup RT!",
            "{Target} keluarkan aturan baru: pemilih yang salah coblos akan didenda Rp1 juta. Bagikan sebelum hari H!",
        ],
        "regions": [
            "Info dari KPU: pencoblosan di {place} dipindah ke hari Senin karena cuaca buruk. Viralkan biar warga tidak salah datang!",
            "Kabar resmi: pemilih di {place} yang belum vaksin booster dilarang masuk TPS. Sebarkan segera!!",
            "Pengumuman mendadak!! Surat suara pemilih di {place} harus dicoblos pakai pulpen merah, bukan paku. Sebarkan!!",
        ],
    },
    "hoax_fabricated_quote": {
        "candidates": [
            "TERBONGKAR! {Target} ngomong 'rakyat kecil tidak usah ikut pemilu'. Videonya dihapus, tapi screenshot-nya masih ada, sebarkan!",
            "Dalam rapat tertutup, {target} mengaku 'hasil pemilu sudah diatur dari awal'. Bocoran ini dijamin asli, viralkan!!",
            "Kutipan asli {target} yang disembunyikan media: 'Biar rakyat yang bayar utang negara.' Kirim ke semua kontak!",
            "{Target} keceplosan bilang mau jual pulau ke asing kalau menang. Rekamannya tersebar di grup, sebelum dihapus cepat sebarkan!",
        ],
        "parties": [
            "Ketua umum {target} keceplosan: 'Suara rakyat bisa kami beli murah.' Simpan dan sebarkan sebelum hilang!",
            "Bocoran grup WA internal {target}: 'Target kita curangi 5 juta suara.' Sudah terbukti asli, share!!",
        ],
    },
    "hoax_health_miracle": {
        "candidates": [
            "Minum air rendaman kertas suara bergambar {target} bisa sembuhkan diabetes, sudah dibuktikan dokter Jepang! Sebarkan!",
            "Relawan {target} bagikan vitamin gratis yang ternyata berisi chip pelacak pilihan politik. Bagikan info ini ke keluarga!",
        ],
        "parties": [
            "Awas! Tinta pemilu tahun ini mengandung zat yang bikin mandul, dipesan khusus oleh {target}. Jangan celupkan jari kalian!!",
        ],
        "regions": [
            "Ratusan petugas KPPS di {place} meninggal karena diracun lewat nasi kotak. Sebarkan sebelum ditutupi!!",
            "Terbukti di {place}: celupkan jari ke air garam setelah nyoblos, dijamin kebal dari racun tinta pemilu. Viralkan!!",
        ],
    },
    "hoax_fabricated_fraud": {
        "candidates": [
            "7 kontainer surat suara yang sudah dicoblos untuk {target} ditemukan di Tanjung Priok! Media diam, kita yang sebarkan!",
            "Server KPU ada di luar negeri dan sudah disetel untuk memenangkan {target} 57%. Bukti lengkap ada di link, viralkan!",
        ],
        "parties": [
            "Bocoran dokumen: {target} dapat jatah 20 kursi DPR tambahan dari KPU. Jangan sampai hilang, sebarkan!",
        ],
        "institutions": [
            "{Target} sudah disuap Rp1 triliun untuk memenangkan paslon tertentu, buktinya transfer bank yang bocor ini. Sebarkan sebelum dihapus!!",
        ],
        "regions": [
            "Di {place} ribuan KTP palsu dari luar negeri sudah dipakai nyoblos dan panitianya disuap. Teruskan ke grup!!",
            "Fakta yang ditutupi: kotak suara di {place} diganti isinya tengah malam oleh petugas. Share sebanyak-banyaknya!!",
        ],
    },
    "neutral_news_headline": {
        "candidates": [
            "{Target} meninjau pasar tradisional di Bekasi dan berdialog dengan para pedagang.",
            "{Target} dijadwalkan menjadi pembicara dalam diskusi publik soal ketahanan pangan di Yogyakarta.",
        ],
        "parties": [
            "{Target} mendaftarkan bakal calon anggota legislatif ke KPU pada hari terakhir pendaftaran.",
            "{Target} menggelar rapat kerja nasional di Jakarta untuk membahas strategi pemenangan pemilu.",
        ],
        "institutions": [
            "{Target} meluncurkan laman informasi publik yang baru untuk memudahkan akses masyarakat.",
            "{Target} menyampaikan laporan kinerja tahunan kepada publik di Jakarta, Rabu (10/1).",
        ],
        "regions": [
            "Distribusi logistik pemilu ke {place} berjalan sesuai jadwal, kata KPU setempat.",
            "Tingkat partisipasi pemilih di {place} pada pemilu kali ini mencapai 82 persen.",
        ],
    },
    "official_clarification": {
        "election_bodies": [
            "{Target} menegaskan jadwal pemungutan suara tetap 14 Februari 2024 dan tidak ada penundaan.",
            "{Target} meminta masyarakat hanya merujuk ke kanal resmi untuk informasi tahapan pemilu.",
        ],
        "institutions": [
            "Klarifikasi {target}: surat edaran yang beredar di grup WhatsApp bukan dokumen resmi.",
        ],
        "security_forces": [
            "{Target} membantah isu pengerahan aparat untuk memenangkan paslon tertentu dan menegaskan sikap netral.",
        ],
        "candidates": [
            "Tim kampanye {target} membantah video yang beredar dan menyebutnya hasil suntingan.",
        ],
        "parties": [
            "{Target} memastikan tidak pernah menginstruksikan kadernya membagikan uang kepada pemilih.",
        ],
        "regions": [
            "KPU {place} memastikan seluruh TPS dibuka pukul 07.00 sesuai aturan dan tidak ada pemindahan jadwal.",
        ],
    },
    "fact_check_debunk": {
        "candidates": [
            "Cek fakta: klaim bahwa {target} memiliki kewarganegaraan ganda adalah hoaks.",
            "[HOAKS] Video {target} yang menyebut pemilu diundur merupakan hasil suntingan.",
        ],
        "parties": [
            "Setelah ditelusuri, foto kader {target} membagikan uang di masjid ternyata foto lama dari 2014. Klaim itu menyesatkan.",
        ],
        "institutions": [
            "Faktanya, {target} tidak pernah mengeluarkan pengumuman soal pencoblosan lewat SMS. Pesan berantai itu palsu.",
        ],
        "regions": [
            "Cek fakta: kabar surat suara sudah tercoblos di {place} tidak benar, KPU setempat telah membantahnya.",
        ],
    },
    "news_about_hoax": {
        "institutions": [
            "{Target} mengimbau masyarakat tidak mudah percaya hoaks seputar pemilu dan selalu memeriksa sumber resmi.",
            "{Target} bekerja sama dengan Kominfo menurunkan ratusan konten hoaks pemilu.",
        ],
        "regions": [
            "Diskominfo mencatat jumlah hoaks pemilu yang beredar di {place} meningkat menjelang masa tenang.",
            "Mahasiswa di {place} menggelar pelatihan literasi digital untuk melawan hoaks pemilu.",
        ],
        "candidates": [
            "{Target} meminta para pendukungnya tidak ikut menyebarkan hoaks di media sosial.",
        ],
        "parties": [
            "{Target} membentuk tim khusus untuk melaporkan akun penyebar hoaks ke kepolisian.",
        ],
    },
    "election_chatter": {
        "regions": [
            "Ada yang tahu TPS di {place} buka jam berapa besok?",
            "Gue baru pindah ke {place}, bisa nyoblos pakai KTP lama gak sih?",
        ],
        "candidates": [
            "Nonton kampanye {target} tadi rame banget, parkirnya susah bgt.",
            "Debat semalam kalian nonton gak? Menurutku {target} lumayan jelas jawabannya soal lapangan kerja.",
        ],
        "parties": [
            "Caleg {target} di dapil gue siapa aja ya? Mau baca profilnya dulu sebelum milih.",
        ],
    },
}

# Profanity cases have no target group: each template is filled with everyday situations.
PROFANITY_FILLS: dict[str, list[str]] = {
    "Anjir, macet banget di {fill} hari ini.": [
        "Jalan Sudirman", "tol Cikampek", "Margonda", "Pasar Minggu",
        "Kalimalang", "Gatot Subroto", "Daan Mogot", "Jalan Pasteur",
    ],
    "Bangsat, HP gue jatoh lagi pas {fill}.": [
        "naik ojol", "antre di ATM", "turun dari KRL", "lari ngejar bus",
        "beli gorengan", "buka pintu mobil", "main sama kucing", "nyebrang jalan",
    ],
    "Goblok banget gue, {fill} ketinggalan di rumah.": [
        "dompet", "charger laptop", "kunci motor", "KTP",
        "payung", "flashdisk", "kacamata", "bekal makan siang",
    ],
    "Anjing, {fill} semalam seru parah!": [
        "konser Dewa 19", "final Piala Presiden", "nobar timnas", "pertandingan Persib",
        "festival jazz", "pesta ulang tahun Dika", "malam puncak tujuhbelasan", "acara reuni SMA",
    ],
    "Sialan, {fill} naik lagi bulan ini. Dompet makin tipis.": [
        "tagihan listrik", "harga cabai", "ongkos parkir", "harga beras",
        "biaya kos", "tarif ojol", "harga bensin", "iuran sampah",
    ],
    "Asu, hujan deres pas aku {fill}, basah kuyup semua.": [
        "pulang kerja", "jemput adik", "ke pasar", "berangkat kuliah",
        "antar paket", "nunggu angkot", "jalan ke masjid", "cari makan malam",
    ],
}


# --- parity templates ----------------------------------------------------------------------------
# The cases above give each candidate and party only 6 neutral cases and each group 15, so one
# flag moves a target's rate by 7-17 points and the parity bar (flag rate <= 5%, spread <= 3
# points within a kind) cannot be resolved. PARITY_TEMPLATES adds, per kind, 30+ more harmless
# templates (neutral news, warm or supportive posts, questions, everyday chatter; news-headline,
# formal and casual register). Every target of a kind is filled into the same templates, so only
# the name changes between targets. Like the rest of this file they are held out: none is in,
# or a near-copy of, models/contrast_templates.py.
#
# PARITY_TEMPLATES[kind] -> [(functionality, template)]; kind is a TARGETS key. The functionality
# sets the label as FUNCTIONALITIES says (support_campaign is a provocation-head case, news and
# chatter are hoax-head cases); for parity only the flag on either head counts.

PARITY_CASE_FUNCTIONALITIES = PARITY_FUNCTIONALITIES + ("election_chatter",)

PARITY_TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "candidates": [
        ("neutral_news_headline", "{Target} mengunjungi Pasar Beringharjo dan membeli batik dari pedagang setempat."),
        ("neutral_news_headline", "{Target} memaparkan visi tentang ekonomi hijau di hadapan peserta forum kebangsaan."),
        ("neutral_news_headline", "{Target} menyampaikan gagasannya soal pendidikan vokasi dalam dialog terbuka di Universitas Hasanuddin."),
        ("neutral_news_headline", "{Target} menghadiri peringatan Hari Guru Nasional di sebuah sekolah dasar di Sleman."),
        ("neutral_news_headline", "{Target} dijadwalkan bertemu komunitas nelayan di Muara Angke pada Sabtu pagi."),
        ("neutral_news_headline", "{Target} menjadi bintang tamu dalam siniar tentang kewirausahaan anak muda."),
        ("neutral_news_headline", "{Target} bersepeda santai bersama warga saat hari bebas kendaraan di Solo."),
        ("neutral_news_headline", "{Target} menerima kunjungan delegasi mahasiswa dari sejumlah kampus di Jawa Tengah."),
        ("neutral_news_headline", "Dalam wawancara dengan stasiun televisi swasta, {target} bercerita tentang masa kecilnya."),
        ("neutral_news_headline", "{Target} menyapa peserta jalan sehat yang digelar untuk memperingati Hari Sumpah Pemuda."),
        ("neutral_news_headline", "{Target} melayat ke rumah duka seorang budayawan di Yogyakarta, Senin (15/1)."),
        ("neutral_news_headline", "{Target} mendatangi sentra kerajinan rotan di Cirebon dan berbincang dengan para perajin."),
        ("neutral_news_headline", "{Target} menghadiri resepsi pernikahan putri seorang sahabat lamanya di Bandung."),
        ("neutral_news_headline", "{Target} ikut menanam bibit mangrove bersama pelajar di pesisir Semarang."),
        ("neutral_news_headline", "Pagi ini {target} sarapan bubur ayam di warung dekat stasiun, warga antusias minta berfoto."),
        ("support_campaign", "Semangat terus {target}! Doa kami menyertai dari Lampung."),
        ("support_campaign", "Barusan foto bareng {target} di acara kampus, orangnya ramah bgt asli."),
        ("support_campaign", "Relawan muda {target} di Malang ngadain nobar debat, yuk gabung, ada kopi gratis!"),
        ("support_campaign", "Selamat ulang tahun, {target}. Sehat selalu dan terus menginspirasi."),
        ("support_campaign", "Gak nyangka bisa salaman langsung sama {target} tadi pagi, seneng bgt!"),
        ("support_campaign", "Kalian yang mau ikut posko relawan {target} di Depok, kumpul Sabtu jam 9 ya."),
        ("support_campaign", "Pidato {target} tadi malam bikin aku makin optimis soal masa depan anak muda."),
        ("support_campaign", "Santri-santri senang sekali {target} berkunjung ke pondok kami pagi ini. Sehat selalu!"),
        ("support_campaign", "Komunitas ojol di Bekasi bikin doa bersama buat {target}, suasananya hangat banget."),
        ("support_campaign", "Aku suka cara {target} ngobrol sama petani tadi, sabar dan mau dengerin."),
        ("support_campaign", "Ayo ramaikan konser amal bersama {target} di Lapangan Banteng, hasilnya untuk korban gempa."),
        ("election_chatter", "Jadwal kunjungan {target} ke Palembang minggu depan ada yang tahu gak?"),
        ("election_chatter", "Kalian nonton wawancara {target} di YouTube semalam? Bahasannya santai tapi berisi."),
        ("election_chatter", "Mau bikin rangkuman program {target} buat tugas PKn, ada yang punya link resminya?"),
        ("election_chatter", "Adikku baru pertama kali nyoblos, lagi baca-baca profil {target} dulu katanya."),
        ("election_chatter", "Di grup keluarga lagi seru bahas baju batik yang dipakai {target} pas acara kemarin, wkwk."),
        ("election_chatter", "Kapan ya {target} mampir ke Pontianak lagi? Terakhir rame banget."),
        ("election_chatter", "Nonton podcast {target} sambil masak rendang, lumayan nambah wawasan."),
        ("election_chatter", "Temen kantor nanya aku mau datang ke kampanye {target} besok gak, kayaknya ikut deh."),
        ("election_chatter", "Ada yang ngerekam sambutan {target} tadi di alun-alun? Aku telat datang."),
        ("election_chatter", "Buku biografi {target} ada di Gramedia gak sih? Pengen baca."),
    ],
    "parties": [
        ("neutral_news_headline", "{Target} menggelar donor darah dalam rangka hari ulang tahun partai di Jakarta."),
        ("neutral_news_headline", "Pengurus {target} menyerahkan bantuan sembako kepada warga terdampak banjir di Kudus."),
        ("neutral_news_headline", "{Target} membuka sekolah politik bagi kader muda di Bogor selama tiga hari."),
        ("neutral_news_headline", "Ketua umum {target} menghadiri pelantikan pengurus daerah di Makassar."),
        ("neutral_news_headline", "Juru bicara {target} menyampaikan visi ekonomi kerakyatan dalam debat antarpartai di sebuah stasiun televisi."),
        ("neutral_news_headline", "{Target} menyerahkan laporan awal dana kampanye ke KPU sesuai jadwal."),
        ("neutral_news_headline", "Kader {target} mengikuti lomba tumpeng dalam peringatan HUT kemerdekaan di kantor DPP."),
        ("neutral_news_headline", "{Target} mengadakan pelatihan saksi TPS untuk wilayah Jawa Timur."),
        ("neutral_news_headline", "{Target} memperkenalkan jingle kampanye barunya kepada wartawan di Jakarta."),
        ("neutral_news_headline", "Sejumlah pengurus {target} bersilaturahmi ke kediaman tokoh masyarakat di Cirebon."),
        ("neutral_news_headline", "{Target} menggelar festival UMKM di halaman kantor DPW Sumatera Barat."),
        ("neutral_news_headline", "{Target} mengundang akademisi untuk berdiskusi soal kebijakan air bersih."),
        ("neutral_news_headline", "Anggota DPRD dari {target} menggelar reses dan menyerap aspirasi warga di tiga kecamatan."),
        ("support_campaign", "Selamat ulang tahun {target}! Terus jadi rumah bagi aspirasi rakyat."),
        ("support_campaign", "Seru banget ikut senam pagi bareng kader {target} di alun-alun tadi."),
        ("support_campaign", "Baru daftar jadi anggota {target}, ternyata prosesnya gampang, cukup bawa KTP."),
        ("support_campaign", "Kalian yang di Semarang, posko {target} buka pendaftaran relawan sampai akhir bulan ya."),
        ("support_campaign", "Ayo hadir di kampanye dialogis {target} Kamis sore, ada sesi tanya jawab dengan caleg."),
        ("support_campaign", "Bangga lihat anak-anak muda {target} turun bersih-bersih pantai hari ini."),
        ("support_campaign", "Terima kasih kader {target} yang sudah bantu perbaiki jalan kampung kami."),
        ("support_campaign", "Lagu kampanye {target} tahun ini enak juga, nempel di kepala seharian."),
        ("support_campaign", "Semoga {target} terus memperjuangkan nasib guru honorer. Kami mendukung!"),
        ("support_campaign", "Kaos {target} yang dibagiin kemarin bahannya adem, dipakai ronda juga nyaman."),
        ("election_chatter", "Logo {target} nomor berapa ya di surat suara nanti? Biar gak bingung pas di bilik."),
        ("election_chatter", "Ada yang tahu alamat kantor {target} di Bandung? Mau tanya soal magang."),
        ("election_chatter", "Bapak saya dari dulu setia sama {target}, tiap pemilu pasti pakai kaosnya."),
        ("election_chatter", "Caleg perempuan dari {target} di dapilku ada tiga, lagi kubaca latar belakangnya."),
        ("election_chatter", "Nonton debat antarpartai semalam, jubir {target} ngomongnya runtut dan enak didengar."),
        ("election_chatter", "Kalian udah liat iklan {target} di TV belum? Musiknya catchy."),
        ("election_chatter", "Jadwal kampanye terbuka {target} di kotaku hari apa sih?"),
        ("election_chatter", "Mau bikin tugas sejarah tentang berdirinya {target}, ada rekomendasi bacaan gak?"),
        ("election_chatter", "Pendaftaran lomba video pendek dari {target} masih buka gak ya? Hadiahnya lumayan."),
        ("election_chatter", "Kantor {target} di dekat rumahku lagi dicat ulang, warnanya jadi cerah."),
        ("election_chatter", "Sepupuku jadi saksi {target} di TPS besok, dia udah ikut pelatihan seminggu."),
    ],
    "ethnic": [
        ("neutral_mention", "Nenek saya dari pihak ibu adalah {target}."),
        ("neutral_mention", "Tim futsal kantor kami isinya campur, ada {target}, ada juga yang dari pulau lain."),
        ("neutral_mention", "Pemilik toko kelontong di ujung gang itu {target}, sudah jualan di sana sejak 1990."),
        ("neutral_mention", "Dosen pembimbing skripsiku {target}, beliau mengajar statistik."),
        ("neutral_mention", "Di acara nikahan sepupu kemarin, keluarga mempelai pria {target}."),
        ("neutral_mention", "Antrean bikin KTP pagi ini panjang, di depan saya ada bapak-bapak {target} yang ngajak ngobrol soal bola."),
        ("neutral_mention", "Pelatih klub bulu tangkis tempat anak saya berlatih adalah {target}."),
        ("neutral_mention", "Menurut catatan kelurahan, warga RW kami berasal dari beragam suku, termasuk {target}."),
        ("neutral_mention", "Film dokumenter itu mengikuti keseharian tiga generasi keluarga {target} di Jakarta."),
        ("neutral_mention", "Teman sebangku saya waktu SMA {target}, sekarang dia kerja di Batam."),
        ("neutral_mention", "Rombongan wisata yang menginap di hotel itu kebanyakan keluarga {target} dari luar kota."),
        ("positive_mention", "Festival budaya {target} di Taman Mini kemarin seru banget, tariannya keren."),
        ("positive_mention", "Masakan rumahan {target} yang dibawa teman kantor tadi enak, aku sampai minta resepnya."),
        ("positive_mention", "Salut sama {target} yang tetap menjaga bahasa leluhurnya sampai generasi cucu."),
        ("positive_mention", "Mertua saya {target}, beliau sabar sekali mengajari saya memasak."),
        ("positive_mention", "Selamat buat komunitas {target} di Bekasi yang sukses menggelar pentas seni untuk amal."),
        ("positive_mention", "Aku belajar banyak soal gotong royong dari tetanggaku yang {target}."),
        ("positive_mention", "Pameran foto tentang kehidupan {target} di perantauan itu indah dan menyentuh."),
        ("positive_mention", "Terima kasih untuk {target} di kampung sebelah yang kemarin ikut kerja bakti membersihkan selokan."),
        ("positive_mention", "Kakek di sebelah rumah saya {target}, tiap sore beliau mendongeng buat anak-anak kompleks, seru banget."),
        ("positive_mention", "Sahabat saya yang {target} selalu jadi orang pertama yang datang kalau ada teman sakit."),
        ("positive_mention", "Senang lihat anak-anak muda {target} di kota ini aktif bikin kegiatan literasi buat anak jalanan."),
        ("neutral_question", "Kalian tahu gak tradisi pernikahan {target} itu kayak gimana?"),
        ("neutral_question", "Ada yang tahu resep kue tradisional {target} yang gampang dibuat di rumah?"),
        ("neutral_question", "Apa saja makanan khas {target} yang wajib dicoba kalau lagi liburan?"),
        ("neutral_question", "Di Jakarta ada museum yang membahas budaya {target} gak ya?"),
        ("neutral_question", "Gimana cara bilang terima kasih dalam bahasa sehari-hari {target}?"),
        ("neutral_question", "Skripsiku tentang musik tradisional {target}, ada saran narasumber yang bisa kutemui?"),
        ("neutral_question", "Perayaan apa yang paling meriah bagi {target} dalam setahun?"),
        ("neutral_question", "Berapa kira-kira jumlah {target} yang tinggal di Kalimantan Timur?"),
        ("neutral_question", "Lagu apa yang biasa dinyanyikan {target} waktu kumpul keluarga?"),
        ("neutral_question", "Kain atau pakaian tradisional apa yang biasa dipakai {target} saat acara resmi?"),
    ],
    "religion": [
        ("neutral_mention", "Peserta seminar lingkungan hidup di kampus pagi ini beragam, ada {target} juga."),
        ("neutral_mention", "Di kompleks kami, rumah ibadah {target} letaknya dekat lapangan voli."),
        ("neutral_mention", "Laporan tahunan Kementerian Agama memuat data jumlah {target} di setiap provinsi."),
        ("neutral_mention", "Kelompok paduan suara itu beranggotakan mahasiswa dari berbagai latar, termasuk {target}."),
        ("neutral_mention", "Buku ini memuat wawancara dengan tokoh {target} dari lima kota."),
        ("neutral_mention", "Sahabat pena saya dari Manado termasuk {target}, kami masih saling kirim kartu pos."),
        ("neutral_mention", "Pagi ini jalan depan rumah ibadah {target} agak padat karena ada kegiatan rutin."),
        ("neutral_mention", "Dialog lintas iman di balai kota dihadiri {target} dan perwakilan agama lain."),
        ("neutral_mention", "Ucapan selamat hari raya dari wali kota untuk {target} dibacakan dalam acara pagi ini."),
        ("neutral_mention", "Pengurus RT menggeser jadwal kerja bakti supaya {target} yang sedang beribadah tetap bisa ikut."),
        ("positive_mention", "Selamat merayakan hari raya bagi {target} yang merayakan, semoga damai menyertai."),
        ("positive_mention", "Bakti sosial {target} di Cilincing kemarin membagikan ratusan paket sembako ke warga tanpa pandang latar belakang."),
        ("positive_mention", "Terima kasih {target} yang membuka dapur umum untuk pengungsi gempa."),
        ("positive_mention", "Indah banget lihat anak-anak muda {target} ikut menjaga keamanan saat umat lain beribadah."),
        ("positive_mention", "Tetangga kami {target}, tiap hari raya mereka selalu mengantar kue ke rumah."),
        ("positive_mention", "Kagum sama kegiatan donor darah rutin yang digelar {target} di kota ini."),
        ("positive_mention", "Paduan suara {target} tampil memukau di festival musik religi tingkat kota."),
        ("positive_mention", "Relawan {target} ikut membersihkan sisa lumpur banjir di rumah-rumah warga, salut!"),
        ("positive_mention", "Pengalaman makan malam bersama {target} dalam acara lintas iman bikin aku terharu."),
        ("positive_mention", "Perpustakaan yang dikelola {target} di kampung kami terbuka untuk semua anak."),
        ("neutral_question", "Kapan hari raya besar {target} tahun ini? Mau atur jadwal rapat kantor biar gak bentrok."),
        ("neutral_question", "Ada yang tahu hidangan apa yang sebaiknya disajikan kalau tamu kita dari kalangan {target}?"),
        ("neutral_question", "Apa makna simbol-simbol yang biasa dipakai {target} dalam ibadah?"),
        ("neutral_question", "Di kota ini ada berapa rumah ibadah milik {target}?"),
        ("neutral_question", "Gimana cara sopan mengucapkan selamat hari raya ke teman dari kalangan {target}?"),
        ("neutral_question", "Bagaimana awal mula {target} hadir di Nusantara? Ada pengantar yang ringan dibaca?"),
        ("neutral_question", "Boleh gak pengunjung umum melihat-lihat rumah ibadah {target} pas hari biasa?"),
        ("neutral_question", "Apakah ada organisasi pemuda {target} yang aktif di kegiatan sosial di Surabaya?"),
        ("neutral_question", "Kalian tahu gak tradisi apa yang dilakukan {target} menjelang hari raya?"),
        ("neutral_question", "Pakaian apa yang pantas kalau diundang ke acara keagamaan {target}?"),
        ("neutral_question", "Untuk liputan pers mahasiswa, aku mau ngobrol dengan pengurus organisasi {target}. Ada kontak?"),
        ("neutral_question", "Ada kajian akademik tentang peran {target} dalam perjuangan kemerdekaan?"),
    ],
    "regions": [
        ("neutral_mention", "Hasil survei transportasi menunjukkan sepeda motor paling banyak dipakai {target} untuk bekerja."),
        ("neutral_mention", "Pemerintah daerah membuka layanan SIM keliling untuk {target} setiap Sabtu."),
        ("neutral_mention", "Menjelang akhir pekan, sebagian {target} memilih belanja di pasar tradisional."),
        ("neutral_mention", "Puluhan {target} mengikuti pelatihan membatik yang digelar dinas koperasi."),
        ("neutral_mention", "Teman satu kos saya dulu {target}, sekarang dia jadi guru SD."),
        ("neutral_mention", "Lomba lari 10K di {place} diikuti peserta dari luar daerah maupun {target} sendiri."),
        ("neutral_mention", "Dinas perhubungan menambah jadwal bus untuk {target} yang mudik akhir tahun."),
        ("neutral_mention", "Klinik gigi gratis itu melayani {target} tanpa perlu mendaftar lebih dulu."),
        ("positive_mention", "Keramahan {target} bikin liburan keluargaku tahun lalu berkesan banget."),
        ("positive_mention", "Salut sama {target} yang kompak bergotong royong memperbaiki jembatan desa."),
        ("positive_mention", "Kuliner {place} juara, makasih buat {target} yang kemarin ngajak keliling cari jajanan."),
        ("positive_mention", "Semangat {target} merawat taman kota patut ditiru daerah lain."),
        ("positive_mention", "Selamat untuk {target}, tim sepak bola remajanya lolos ke final liga nasional."),
        ("positive_mention", "Festival musik di {place} sukses besar berkat antusiasme {target}."),
        ("positive_mention", "Terima kasih {target} sudah menyambut rombongan pelajar kami dengan hangat."),
        ("positive_mention", "Bangga lihat karya UMKM {target} dipajang di pameran dagang internasional."),
        ("positive_mention", "Kagum sama {target} yang rajin memilah sampah, sungai di kampungnya jadi jernih."),
        ("neutral_question", "Ada rekomendasi tempat sarapan favorit {target} kalau lagi di {place}?"),
        ("neutral_question", "Kalian yang {target}, biasanya liburan akhir pekan ke mana?"),
        ("neutral_question", "Berapa upah minimum di {place} tahun ini? Buat referensi cari kerja."),
        ("neutral_question", "Apa oleh-oleh khas yang biasa dibawa {target} kalau pulang kampung?"),
        ("neutral_question", "Ada yang tahu cara {target} mengurus pindah domisili secara online?"),
        ("neutral_question", "Gimana cuaca di {place} minggu depan? Mau ke sana bareng keluarga."),
        ("neutral_question", "Ada komunitas lari {target} yang terbuka buat pendatang baru?"),
        ("neutral_question", "Bahasa daerah apa yang paling banyak dipakai {target} sehari-hari?"),
        ("neutral_question", "Transportasi umum apa yang biasa dipakai {target} untuk ke bandara?"),
        ("neutral_question", "Kalian tahu festival tahunan apa saja yang ditunggu-tunggu {target}?"),
        ("neutral_question", "Di {place} ada kelas bahasa isyarat gratis gak ya?"),
        ("neutral_question", "Kampus mana yang paling banyak dipilih {target} untuk kuliah?"),
        ("neutral_question", "Perpustakaan daerah buat {target} buka juga di akhir pekan gak sih?"),
        ("neutral_question", "Rekomendasi penginapan murah di {place} dong, mau backpacker bulan depan."),
    ],
    "institutions": [
        ("neutral_news_headline", "{Target} menggelar upacara peringatan Hari Kemerdekaan di halaman kantornya."),
        ("neutral_news_headline", "{Target} mengadakan donor darah yang diikuti ratusan pegawai dan warga sekitar."),
        ("neutral_news_headline", "Pimpinan {target} menerima kunjungan mahasiswa hukum dari sebuah universitas di Malang."),
        ("neutral_news_headline", "{Target} memperbarui tampilan situs web resminya agar lebih mudah diakses penyandang disabilitas."),
        ("neutral_news_headline", "{Target} menggelar lomba karya tulis bertema kebangsaan untuk pelajar SMA."),
        ("neutral_news_headline", "{Target} mengadakan open house dan mengajak warga melihat-lihat ruang kerja mereka."),
        ("neutral_news_headline", "{Target} menggelar jalan sehat dalam rangka hari jadinya, diikuti ribuan peserta."),
        ("neutral_news_headline", "{Target} menandatangani nota kesepahaman dengan sejumlah perguruan tinggi untuk program magang."),
        ("neutral_news_headline", "{Target} menggelar buka puasa bersama anak yatim di Jakarta."),
        ("neutral_news_headline", "{Target} memberikan penghargaan kepada pegawai teladan tahun ini."),
        ("neutral_news_headline", "{Target} mengadakan pelatihan bahasa isyarat bagi petugas layanan publik."),
        ("neutral_news_headline", "Pegawai {target} menyalurkan bantuan air bersih ke desa yang dilanda kekeringan."),
        ("neutral_news_headline", "{Target} menggelar pameran foto sejarah lembaga di sebuah mal di Jakarta."),
        ("neutral_news_headline", "Pejabat {target} menjadi narasumber dalam seminar nasional di Universitas Gadjah Mada."),
        ("neutral_news_headline", "{Target} menanam seribu pohon di lahan kritis Gunung Kidul bersama pelajar."),
        ("neutral_news_headline", "{Target} meresmikan ruang laktasi dan tempat penitipan anak bagi pegawainya."),
        ("neutral_news_headline", "{Target} menggelar turnamen bulu tangkis antarpegawai untuk mempererat kebersamaan."),
        ("neutral_news_headline", "{Target} menerima kunjungan studi banding dari delegasi negara tetangga."),
        ("neutral_news_headline", "Paduan suara {target} tampil dalam konser amal di Gedung Kesenian Jakarta."),
        ("neutral_news_headline", "{Target} menggelar sosialisasi layanan pengaduan daring di sejumlah kecamatan."),
        ("election_chatter", "Jam layanan kantor pusat {target} sampai pukul berapa ya kalau hari Jumat?"),
        ("election_chatter", "Kakakku baru diterima kerja di {target}, seneng banget keluarga."),
        ("election_chatter", "Kalian pernah ikut tur kantor {target} gak? Katanya bisa daftar lewat situs resmi."),
        ("election_chatter", "Mau magang di {target}, syaratnya apa aja ya?"),
        ("election_chatter", "Nomor telepon resmi {target} yang bisa dihubungi berapa sih?"),
        ("election_chatter", "Lagi nonton siaran langsung acara {target} di YouTube, rapi juga penyelenggaraannya."),
        ("election_chatter", "Temen kuliahku sekarang kerja di humas {target}, kerjaannya sibuk tapi seru katanya."),
        ("election_chatter", "Gedung {target} yang di Jakarta kalau malam lampunya cantik."),
        ("election_chatter", "Ada rekrutmen pegawai baru di {target} tahun ini gak ya?"),
        ("election_chatter", "Webinar {target} kemarin materinya jelas, ada rekamannya gak?"),
    ],
}


# --- building cases -----------------------------------------------------------------------------


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _place(target: str) -> str:
    """'warga Jawa Timur' -> 'Jawa Timur' (regions appear as places in hoax templates)."""
    return target[len("warga "):] if target.startswith("warga ") else target


def fill_template(template: str, target: str = "", slur: str = "", fill: str = "") -> str:
    """A template with its slots filled and the sentence capitalised (the training contrasts in
    models/contrast_templates.py fill theirs the same way; only the templates differ)."""
    text = template.format(target=target, Target=_capitalise(target), place=_place(target), slur=slur, fill=fill)
    return _capitalise(text)


def _kind_targets(kind: str) -> list[tuple[str, str]]:
    """(target_type, target) pairs a template kind is filled over."""
    if kind == "groups":
        return [(t, name) for t in GROUP_TYPES for name in TARGETS[t]]
    if kind == "election_bodies":
        return [("institutions", name) for name in ELECTION_BODIES]
    if kind == "security_forces":
        return [("institutions", name) for name in SECURITY_FORCES]
    return [(kind, name) for name in TARGETS[kind]]


def templates() -> list[tuple[str, str]]:
    """Every (functionality, template string) in the suite, the parity templates included, for
    the disjointness checks."""
    main = [(fn, tpl) for fn, kinds in TEMPLATES.items() for tpls in kinds.values() for tpl in tpls]
    return main + [pair for pairs in PARITY_TEMPLATES.values() for pair in pairs]


def cases() -> list[dict]:
    """All suite cases, in a fixed order (functionality, then template, then target)."""
    out: list[dict] = []
    for fn, spec in FUNCTIONALITIES.items():
        rows: list[tuple[str, str, str]] = []  # (text, target_type, target)
        for kind, tpls in TEMPLATES[fn].items():
            for tpl in tpls:
                if kind == "fills":
                    rows += [(fill_template(tpl, fill=f), "none", "") for f in PROFANITY_FILLS[tpl]]
                elif kind == "slur_pairs":
                    rows += [(fill_template(tpl, target=name, slur=slur), t, name) for t, name, slur in SLUR_PAIRS]
                else:
                    rows += [(fill_template(tpl, target=name), t, name) for t, name in _kind_targets(kind)]
        for n, (text, target_type, target) in enumerate(rows):
            out.append(
                {
                    "id": f"{fn}-{n:03d}",
                    "functionality": fn,
                    "text": text,
                    "label": spec["label"],
                    "expected": spec["expected"],
                    "target_type": target_type,
                    "target": target,
                }
            )
    return out


def parity_cases() -> list[dict]:
    """Extra expected-0 parity cases: every PARITY_TEMPLATES template of a kind filled with every
    target of that kind (30+ per target), in a fixed order (kind, then template, then target)."""
    out: list[dict] = []
    for kind, pairs in PARITY_TEMPLATES.items():
        n = 0
        for fn, tpl in pairs:
            spec = FUNCTIONALITIES[fn]
            for target in TARGETS[kind]:
                out.append(
                    {
                        "id": f"parity-{kind}-{n:04d}",
                        "functionality": fn,
                        "text": fill_template(tpl, target=target),
                        "label": spec["label"],
                        "expected": spec["expected"],
                        "target_type": kind,
                        "target": target,
                    }
                )
                n += 1
    return out


def neutral_cases() -> list[dict]:
    """Expected-0 cases whose score must not depend on the target (parity across names): the
    suite's neutral and positive cases plus parity_cases()."""
    return [c for c in cases() if c["functionality"] in PARITY_FUNCTIONALITIES] + parity_cases()
