"""Hand-written contrast templates and name swaps for training-time augmentation.

Two tools against the classifier's worst shortcuts (a group or politician's name alone moving
the score; "hoaks" or a quoted slur alone flipping a label):

* `examples(seed)` - ~2,000 short Indonesian training examples in minimal-contrast pairs of
  functionality: hate vs counter-speech / negated hate / news about hate, fabricated hoax vs
  fact-check / official clarification / news about hoaxes, sharp policy criticism and campaign
  support that are neither, profanity with no target, neutral and positive mentions of groups.
* `swap_names(text, rng)` - counterfactual augmentation of real (normalised) training text:
  replace a known person / party / election body / group / region by another of the same kind.

This file is the TRAINING side. The held-out test suite is `models/functional_suite.py`; the two
share no template, and the sentence frames here were written separately (different verbs,
structure and register) so the suite measures generalisation rather than memorised frames.
tests/models/test_functional_suite.py enforces that no template or text is shared and that no
template here is a near-copy of one there. Everything was written by hand for this project.

Labels: each example is for one head; the other head is None (unknown) - except neutral and
positive mentions, neutral questions, neutral news, ordinary election chatter and campaign
support, which are plainly neither hoax nor provocation and are 0.0 for both.
"""
from __future__ import annotations

import functools
import random
import re

from models.functional_suite import fill_template  # slot filling only; no test template is read

SOURCE = "contrast-templates"

# --- targets (display form) ----------------------------------------------------------------------
# Partly different from the test suite's: regional heads, party leaders and legislators besides
# the 2024 tickets, other ethnic groups and regions, so the model sees that the name is not the
# signal. The main names are here too.

TARGETS: dict[str, list[str]] = {
    "candidates": [
        "Anies Baswedan", "Cak Imin", "Prabowo", "Gibran", "Ganjar Pranowo", "Mahfud MD", "Jokowi", "Ahok",
        "Ridwan Kamil", "Khofifah Indar Parawansa", "Dedi Mulyadi", "Bobby Nasution", "Puan Maharani",
        "Airlangga Hartarto", "Agus Harimurti Yudhoyono", "Sandiaga Uno", "Pramono Anung",
        "Andika Perkasa", "Kaesang Pangarep", "Tri Rismaharini", "Surya Paloh",
    ],
    "parties": [
        "PDIP", "Gerindra", "Golkar", "PKB", "PKS", "NasDem", "Demokrat", "PAN", "PSI", "Perindo",
        "Hanura", "PPP", "Partai Buruh", "Partai Gelora", "Partai Ummat",
    ],
    "institutions": ["KPU", "Bawaslu", "MK", "DKPP", "Polri", "TNI", "Kemendagri"],
    "ethnic": [
        "orang Tionghoa", "orang Cina", "orang Jawa", "orang Batak", "orang Madura", "orang Papua",
        "orang Arab", "orang Bugis", "orang Minang", "orang Sunda", "orang Dayak", "orang Ambon",
        "orang Betawi", "orang Bali", "orang Flores", "orang Nias", "orang Melayu", "orang Banjar",
        "orang Toraja", "orang Sasak", "orang Minahasa", "orang Aceh",
    ],
    "religion": [
        "umat Islam", "umat Kristen", "umat Katolik", "umat Hindu", "umat Buddha", "umat Konghucu",
        "jemaat Ahmadiyah", "penganut Syiah", "penghayat kepercayaan",
    ],
    "regions": [
        "warga Jakarta", "warga Aceh", "warga Papua", "warga Jawa Timur", "warga Sumatera Utara",
        "warga Bali", "warga Maluku", "warga NTT", "warga Bekasi", "warga Surabaya", "warga Medan",
        "warga Makassar", "warga Jawa Tengah", "warga Sumatera Barat",
    ],
}

GROUP_TYPES = ("ethnic", "religion", "regions")
ELECTION_BODIES = ("KPU", "Bawaslu", "MK", "DKPP")

SLUR_PAIRS: list[tuple[str, str, str]] = [
    ("ethnic", "orang Tionghoa", "cina"),
    ("ethnic", "orang Tionghoa", "sipit"),
    ("ethnic", "orang Cina", "aseng"),
    ("ethnic", "orang Jawa", "jawir"),
    ("ethnic", "orang Arab", "kadrun"),
    ("ethnic", "orang Papua", "monyet"),
    ("religion", "umat Kristen", "kafir"),
    ("religion", "umat Katolik", "kapir"),
    ("religion", "umat Hindu", "kafir"),
    ("religion", "umat Buddha", "kafir"),
    ("religion", "penghayat kepercayaan", "kafir"),
    ("religion", "jemaat Ahmadiyah", "sesat"),
    ("religion", "penganut Syiah", "sesat"),
    ("religion", "umat Islam", "kadrun"),
    ("supporters", "pendukung PDIP", "cebong"),
    ("supporters", "pendukung Ganjar", "cebong"),
    ("supporters", "pendukung Jokowi", "termul"),
    ("supporters", "pendukung Gibran", "termul"),
    ("supporters", "pendukung Prabowo", "kampret"),
    ("supporters", "pendukung Anies", "kadrun"),
    ("supporters", "pendukung PKS", "kadrun"),
]

# --- labels per functionality -------------------------------------------------------------------
# (head, value); BOTH_ZERO functionalities are 0.0 for both heads.

HEAD: dict[str, tuple[str, float]] = {
    "derogation": ("provocation", 1.0),
    "dehumanisation": ("provocation", 1.0),
    "threat_group": ("provocation", 1.0),
    "threat_individual": ("provocation", 1.0),
    "slur": ("provocation", 1.0),
    "exclusion": ("provocation", 1.0),
    "counter_speech": ("provocation", 0.0),
    "negated_hate": ("provocation", 0.0),
    "news_on_hate": ("provocation", 0.0),
    "profanity_no_target": ("provocation", 0.0),
    "policy_criticism": ("provocation", 0.0),
    "hoax_chain_message": ("hoax", 1.0),
    "hoax_fake_announcement": ("hoax", 1.0),
    "hoax_fabricated_quote": ("hoax", 1.0),
    "hoax_health_miracle": ("hoax", 1.0),
    "hoax_fabricated_fraud": ("hoax", 1.0),
    "official_clarification": ("hoax", 0.0),
    "fact_check_debunk": ("hoax", 0.0),
    "news_about_hoax": ("hoax", 0.0),
}
BOTH_ZERO = (
    "neutral_mention",
    "positive_mention",
    "neutral_question",
    "support_campaign",
    "neutral_news_headline",
    "election_chatter",
)

# --- templates -----------------------------------------------------------------------------------
# Same slots as the test suite: {target}/{Target}, {place}, {slur}, {fill}. Kinds: "groups",
# a TARGETS key, "election_bodies", "slur_pairs", "fills".

TEMPLATES: dict[str, dict[str, list[str]]] = {
    "derogation": {
        "groups": [
            "Pengalaman gue, {target} tuh emang susah diatur dan maunya menang sendiri.",
            "Kenapa sih {target} selalu bikin ribut? Dari sononya memang gak tahu diri.",
            "Percuma berharap sama {target}, bawaannya curang dan gak tahu terima kasih.",
            "Makin lama makin kelihatan aslinya: {target} itu bodoh dan gampang dibeli.",
            "Jangan heran kota ini kumuh, lihat aja berapa banyak {target} yang tinggal di sini.",
            "Ada orang jujur dari kalangan {target}? Mimpi kali ye.",
            "Kualitas {target} memang rendah, mau disekolahkan setinggi apa pun tetap kampungan.",
        ],
    },
    "dehumanisation": {
        "groups": [
            "Ngelihat {target} berkerumun rasanya kayak lihat kawanan lalat di tempat sampah.",
            "{Target} itu virus. Sekali masuk, satu kampung bisa tertular busuknya.",
            "Jangan anggap {target} sederajat dengan kita, mereka lebih mirip ternak.",
            "Negeri ini perlu dibersihkan dari kutu-kutu seperti {target}.",
            "Sifat {target} persis anjing kampung: galak, rakus, dan jorok.",
            "{Target} berkembang biak kayak tikus, sebentar lagi kita yang jadi minoritas.",
            "Mereka itu sampah masyarakat, {target} gak layak disebut manusia.",
        ],
    },
    "threat_group": {
        "groups": [
            "Siapkan bensin, malam Jumat kita datangi permukiman {target}.",
            "Kalau aparat diam, biar rakyat yang ganyang {target} sampai bersih!",
            "Kampung kita harus steril dari {target}. Yang nekat tinggal, pulangnya tinggal nama.",
            "Ayo kumpul di lapangan, hari ini {target} kita usir paksa dari sini!",
            "Tumpas {target}! Tidak ada tempat buat mereka di tanah ini.",
            "Satu-satunya bahasa yang dimengerti {target} adalah pentungan.",
            "Gebuk aja {target} yang berani pasang spanduk di kampung kita.",
        ],
    },
    "threat_individual": {
        "candidates": [
            "Awas aja {target}, sekali lewat sini kupatahkan lehernya.",
            "Sudah saatnya {target} dihabisi, rakyat sudah muak.",
            "Ada yang tahu alamat {target}? Kita datangi bareng-bareng, bawa senjata.",
            "Lempari mobil {target} pakai batu kalau dia kampanye di sini!",
            "Nyawa {target} ada di tangan kita, tunggu saja tanggal mainnya.",
            "Kalau {target} curang, jangan salahkan kalau rumahnya rata dengan tanah.",
        ],
    },
    "slur": {
        "slur_pairs": [
            "Heh {slur}! Kalian {target} gak usah sok suci di medsos.",
            "Komentarnya khas {slur}. Udah ketebak, pasti dari {target}.",
            "Muak gue sama para {slur} ini, {target} emang otaknya di dengkul.",
            "Tiap ada ribut-ribut pasti ulah {slur}. Ya, {target}, siapa lagi.",
            "Gak usah dengerin {target}, dasarnya {slur}, omongannya sampah semua.",
        ],
    },
    "exclusion": {
        "groups": [
            "Kalau bisa, pecat aja karyawan dari kalangan {target}, daripada bikin masalah.",
            "Warung saya tidak melayani {target}. Silakan cari tempat lain.",
            "Lurah kita nanti jangan sampai dari {target}, bahaya buat kampung.",
            "Kos-kosan ini tidak menerima {target}, titik.",
            "Anak-anak jangan main sama anak dari keluarga {target}, nanti ketularan kelakuannya.",
            "Pokoknya jangan sampai ada {target} yang duduk di DPRD, apa pun caranya.",
            "Coret {target} dari daftar penerima bantuan, mereka gak pantas dibantu.",
        ],
    },
    "neutral_mention": {
        "groups": [
            "Kampung sebelah dihuni campuran {target} dan pendatang dari daerah lain.",
            "Ibu kos saya termasuk {target}, tiap awal bulan dia nagih uang sewa.",
            "Dalam rapat RT tadi malam hadir juga beberapa {target}.",
            "Penelitian ini membahas pola migrasi {target} sepanjang abad ke-20.",
            "Kelas bahasa Inggris gratis itu diikuti anak muda dari kalangan {target} dan masyarakat umum.",
            "Data sensus mencatat jumlah {target} bertambah dibanding sepuluh tahun lalu.",
            "Di grup arisan ibu saya ada yang {target}, ada juga yang bukan.",
        ],
    },
    "positive_mention": {
        "groups": [
            "Kiriman makanan dari tetangga kami yang {target} kemarin enak banget. Makasih ya!",
            "Respek buat {target} yang jaga kampung bareng-bareng pas banjir.",
            "Dari dulu {target} dikenal pekerja keras dan pantang menyerah.",
            "Banyak tokoh dari kalangan {target} yang ikut berjuang merebut kemerdekaan.",
            "Kolaborasi karang taruna dengan {target} bikin taman kota jadi asri.",
            "Terima kasih {target} yang sudah menyumbang darah di acara donor kemarin.",
            "Keramahan {target} bikin saya betah merantau di sini.",
        ],
    },
    "counter_speech": {
        "groups": [
            "Stop nyebut {target} sampah. Itu kebencian, bukan kritik.",
            "Hasutan buat ngusir {target} di grup WA itu harus dilawan, bukan disebarkan.",
            "Kita bisa beda capres tanpa harus menghina {target}. Tolong jaga jari.",
            "Postingan yang bilang {target} pantas dibakar itu biadab. Sudah saya laporkan.",
            "Menggeneralisasi {target} sebagai penipu itu diskriminatif dan keliru.",
            "Screenshot ini berisi ajakan mengusir {target}. Jangan di-share lagi, langsung report aja.",
            "Yang teriak-teriak bahwa {target} itu hama cuma mau memecah belah kita. Jangan terpancing.",
        ],
    },
    "negated_hate": {
        "groups": [
            "Aku sama sekali gak punya masalah dengan {target}.",
            "Keliru besar kalau menganggap {target} itu pemalas.",
            "Nggak ada yang salah dengan menjadi {target}.",
            "Sejak kecil saya diajari untuk tidak memandang rendah {target}.",
            "Gak bener kalau {target} disebut biang kerusuhan.",
            "Saya bukan pembenci {target}, jadi jangan pelintir omongan saya.",
            "Tuduhan bahwa {target} tidak cinta tanah air itu sama sekali tidak berdasar.",
        ],
    },
    "news_on_hate": {
        "groups": [
            "Seorang pria di Medan diamankan polisi usai mengunggah video hinaan terhadap {target}.",
            "Kominfo memblokir puluhan akun yang menyebarkan provokasi terhadap {target}.",
            "Tokoh lintas agama mengajak publik menolak hasutan kebencian terhadap {target}.",
            "Jaksa menuntut dua tahun penjara bagi terdakwa kasus ujaran kebencian kepada {target}.",
            "Laporan SAFEnet menyebut serangan verbal daring terhadap {target} meningkat tajam.",
            "Polda Metro Jaya menyelidiki spanduk provokatif yang menyudutkan {target}.",
        ],
    },
    "neutral_question": {
        "groups": [
            "Ada yang punya data soal tingkat pendidikan {target}?",
            "Kira-kira apa tantangan terbesar yang dihadapi {target} saat ini?",
            "Di mana saya bisa belajar lebih banyak soal budaya {target}?",
            "Apakah {target} punya perwakilan di DPR sekarang?",
            "Ada yang tahu jumlah pemilih dari kalangan {target} di pemilu 2024?",
            "Buat tugas kuliah, aku perlu wawancara {target}. Ada yang bisa bantu kenalin?",
        ],
    },
    "profanity_no_target": {
        "fills": [
            "Bangke, baterai tinggal 2 persen padahal {fill} belum kelar.",
            "Anjay, {fill} enak banget sumpah.",
            "Jancuk, panas pol hari ini, {fill}.",
            "Tolol banget sih aku, {fill}.",
            "Tai, sinyal di {fill} ilang terus.",
            "Buset dah, antrean {fill} panjang banget, gila.",
        ],
    },
    "policy_criticism": {
        "candidates": [
            "Angka kemiskinan naik di era {target}, jadi jangan cuma sibuk pencitraan.",
            "Rencana {target} menaikkan pajak UMKM itu ngawur dan harus ditolak.",
            "Rekam jejak {target} soal penanganan banjir buruk, data BPBD membuktikannya.",
            "Saya kecewa dengan {target}: program perumahan rakyatnya mangkrak bertahun-tahun.",
        ],
        "parties": [
            "Selama lima tahun, anggota DPR dari {target} jarang hadir di rapat paripurna.",
            "Sikap {target} yang mendukung revisi UU KPK melemahkan pemberantasan korupsi.",
            "Kaderisasi {target} amburadul, calegnya banyak yang tidak paham isu.",
        ],
        "institutions": [
            "{Target} terlalu lambat menindaklanjuti aduan, pelapor dibiarkan menunggu berbulan-bulan.",
            "Anggaran {target} bengkak tapi hasil kerjanya tidak sebanding.",
            "Sistem informasi milik {target} sering error, memalukan untuk lembaga sebesar itu.",
        ],
    },
    "support_campaign": {
        "candidates": [
            "Bismillah, tanggal 14 nanti saya coblos {target}.",
            "Terima kasih {target} sudah mampir ke pasar kami, semoga sukses!",
            "Gue udah mantap sama {target}, programnya masuk akal.",
            "Kaos relawan {target} sudah dibagikan, sampai jumpa di kampanye akbar!",
        ],
        "parties": [
            "Jangan lupa coblos {target} di surat suara DPR, ya!",
            "{Target} di hati, {target} pilihan pasti!",
            "Alhamdulillah posko pemenangan {target} di kelurahan kami resmi dibuka.",
            "Ikuti jalan sehat bersama {target} hari Minggu, hadiahnya banyak!",
        ],
    },
    "hoax_chain_message": {
        "candidates": [
            "Jangan berhenti di kamu! {Target} ketahuan mau hapus BPJS gratis kalau terpilih. Forward ke 20 orang.",
            "Mumpung belum diblokir: bukti {target} dibiayai negara asing, baca dan teruskan!",
        ],
        "parties": [
            "Ini beneran, dari grup sebelah: {target} bakal melarang pengajian kalau menang. Bagikan ke semua!",
        ],
        "regions": [
            "Mohon disebarluaskan!! Data KTP {target} sudah dijual ke tim sukses, ganti nomor HP kalian sekarang.",
        ],
        "election_bodies": [
            "Info valid 100%: {target} sudah menyiapkan hasil akhir pemilu sejak bulan lalu. Share!",
        ],
    },
    "hoax_fake_announcement": {
        "institutions": [
            "Maklumat {target} nomor 17/2024: pemilih di atas 60 tahun tidak perlu datang ke TPS, suaranya otomatis dihitung.",
            "Mulai hari ini, kata {target}, surat suara yang dilipat empat dianggap tidak sah. Beritahu keluarga!!",
            "Edaran terbaru {target} (wajib tahu): masa pencoblosan diperpanjang tiga hari, jadi santai saja.",
        ],
        "regions": [
            "Kabar dari kelurahan: pemungutan suara di {place} ditunda sampai Maret, TPS tidak jadi dibuka besok. Teruskan!",
            "Penting untuk {target}: coblos dua kali boleh asal bawa KTP dan KK. Sudah dikonfirmasi panitia, sebarkan!",
        ],
    },
    "hoax_fabricated_quote": {
        "candidates": [
            "Astaga, {target} bilang di siaran langsung: 'Orang miskin gak usah sekolah tinggi.' Cek sebelum videonya diturunkan!",
            "Pernyataan {target} yang bikin geger: 'Saya tidak butuh suara petani.' Tonton sebelum dihapus!!",
            "Rekaman suara bocor: {target} minta camat mengubah hasil penghitungan. Dengarkan sendiri dan sebarkan.",
        ],
        "parties": [
            "Sekjen {target} dalam rekaman rahasia: 'Kalau kalah, kita bikin rusuh.' Ini asli, bagikan!!",
        ],
    },
    "hoax_health_miracle": {
        "candidates": [
            "Doa dari {target} bisa menyembuhkan kanker stadium 4, sudah ratusan orang sembuh! Sebarkan biar banyak yang tertolong.",
            "Jangan mau disuntik! Posyandu yang dijaga relawan {target} sebenarnya menyuntikkan obat pengubah pilihan.",
        ],
        "parties": [
            "Air zamzam yang dibagikan caleg {target} dijamin menyembuhkan stroke dalam 3 hari, viralkan!",
        ],
        "regions": [
            "Peneliti Amerika temukan tinta di TPS {place} mengandung minyak babi. Segera cuci tangan dan teruskan info ini!",
        ],
    },
    "hoax_fabricated_fraud": {
        "candidates": [
            "Tinta di TPS sengaja dibuat cepat hilang supaya pendukung {target} bisa nyoblos dua kali. Videonya baru beredar, cepat sebarkan!",
            "Sirekap sudah diprogram menambah 500 suara per TPS buat {target}. Ini bocoran programmernya, viralkan!",
        ],
        "parties": [
            "Ribuan anggota KPPS ternyata kader {target} yang menyamar, semua sudah diatur. Share!!",
        ],
        "regions": [
            "Bus berisi pemilih bayaran dari luar daerah masuk ke {place} subuh tadi buat nyoblos pakai undangan orang lain. Sebarkan ke grup keluarga!",
        ],
        "election_bodies": [
            "Komisioner {target} ketahuan terima mobil mewah dari timses, buktinya beredar di grup. Bagikan!",
        ],
    },
    "neutral_news_headline": {
        "candidates": [
            "{Target} menerima kunjungan delegasi pengusaha muda pada Selasa pagi.",
            "Dalam kunjungan ke Lampung, {target} meresmikan sebuah sekolah vokasi.",
        ],
        "parties": [
            "DPP {target} mengumumkan susunan tim pemenangan untuk wilayah Jawa Tengah.",
            "{Target} menggelar pendidikan politik bagi kader perempuan di Makassar.",
        ],
        "institutions": [
            "{Target} melantik sejumlah pejabat baru pada Senin (8/1).",
            "Pimpinan {target} menerima audiensi dari organisasi masyarakat sipil pemantau pemilu.",
        ],
        "regions": [
            "Pemerintah daerah {place} menyiapkan ribuan personel untuk mengamankan TPS.",
            "Logistik surat suara untuk {place} tiba di gudang KPU dan langsung disortir.",
        ],
    },
    "official_clarification": {
        "election_bodies": [
            "{Target} membantah kabar penundaan pemilu yang beredar di media sosial.",
            "{Target} menyebut pesan berantai tentang pencoblosan ulang secara nasional sebagai informasi menyesatkan.",
        ],
        "institutions": [
            "Lewat siaran pers, {target} menyatakan tautan pendaftaran petugas yang viral itu palsu.",
        ],
        "candidates": [
            "Juru bicara {target} meluruskan potongan video yang menyebar di TikTok: pernyataan aslinya soal harga pupuk.",
        ],
        "parties": [
            "{Target} melaporkan akun yang mencatut nama partai untuk menyebar undangan palsu.",
        ],
        "regions": [
            "Bawaslu {place} menegaskan tidak ada perubahan lokasi TPS.",
        ],
    },
    "fact_check_debunk": {
        "candidates": [
            "HOAKS: Foto {target} bersama bandar narkoba merupakan hasil rekayasa digital.",
            "Penelusuran Mafindo: kutipan {target} soal pembubaran ormas tidak pernah diucapkan.",
        ],
        "parties": [
            "Disinformasi: grafis yang menyebut {target} akan menghapus gaji honorer bukan rilis resmi partai.",
        ],
        "election_bodies": [
            "Klaim bahwa {target} mengubah aturan surat suara sah ternyata keliru, aturannya masih sama.",
        ],
        "regions": [
            "Salah: video kerusuhan TPS di {place} itu rekaman lama dari luar negeri.",
        ],
    },
    "news_about_hoax": {
        "institutions": [
            "Menurut {target}, hoaks pemilu paling banyak menyebar lewat grup percakapan keluarga.",
            "{Target} membuka layanan aduan bagi warga yang menemukan disinformasi pemilu.",
        ],
        "regions": [
            "Di {place}, relawan cek fakta rutin mendatangi pengajian dan arisan untuk mengajarkan cara mengenali hoaks.",
            "Kepolisian di {place} memeriksa tiga orang yang diduga memproduksi berita bohong soal pemilu.",
        ],
        "candidates": [
            "{Target} menjadi sasaran hoaks terbanyak selama masa kampanye, menurut data pemantau.",
        ],
        "parties": [
            "{Target} mendorong kadernya ikut kelas literasi digital antihoaks.",
        ],
    },
    "election_chatter": {
        "regions": [
            "Undangan nyoblos belum nyampe ke rumahku di {place}, wajar gak sih?",
            "Yang KTP-nya {place} tapi kerja di luar kota, urus pindah memilih di mana ya?",
        ],
        "candidates": [
            "Jujur masih galau nih antara {target} atau yang lain, kalian udah mantap?",
            "Tadi lewat baliho {target} gede banget di perempatan, sampe nutupin lampu merah.",
        ],
        "parties": [
            "Lagi baca daftar caleg {target} buat DPRD, ada yang kenal orangnya?",
        ],
    },
}

PROFANITY_FILLS: dict[str, list[str]] = {
    "Bangke, baterai tinggal 2 persen padahal {fill} belum kelar.": [
        "presentasi ke klien", "rapat online", "ujian daring", "tugas kelompok",
        "render video", "main game", "upload tugas", "nonton webinar",
    ],
    "Anjay, {fill} enak banget sumpah.": [
        "soto ayam dekat kantor", "martabak manis di ujung gang", "bakso Mang Ujang", "es kopi susu baru",
        "nasi padang langganan", "mi ayam depan sekolah", "sate kambing Pak Kumis", "seblak level lima",
    ],
    "Jancuk, panas pol hari ini, {fill}.": [
        "AC kantor mati", "kipas angin rusak", "listrik padam dari pagi", "antre samsat di luar ruangan",
        "motor mogok di jalan", "air PAM gak ngalir", "kerja lapangan seharian", "kamar kos kayak oven",
    ],
    "Tolol banget sih aku, {fill}.": [
        "salah naik kereta", "lupa password email", "salah transfer ke rekening sendiri", "ketiduran di bus",
        "jemur baju pas mau hujan", "salah kirim stiker ke grup kantor", "lupa matiin kompor", "salah ketik alamat",
    ],
    "Tai, sinyal di {fill} ilang terus.": [
        "basement mal", "stasiun MRT", "rumah nenek", "kamar kos",
        "gedung parkir", "kantin kampus", "puncak Bogor", "lift kantor",
    ],
    "Buset dah, antrean {fill} panjang banget, gila.": [
        "tiket konser", "minyak goreng murah", "SIM keliling", "daftar ulang sekolah",
        "kasir supermarket", "imunisasi anak", "gas elpiji", "loket stasiun",
    ],
}

# How many targets each template is filled with (a seeded sample of its pool).
PER_TEMPLATE = {"groups": 16, "slur_pairs": 14, "fills": 8}
PER_TEMPLATE_DEFAULT = 12


def _pool(kind: str) -> list:
    if kind == "groups":
        return [name for t in GROUP_TYPES for name in TARGETS[t]]
    if kind == "election_bodies":
        return list(ELECTION_BODIES)
    if kind == "slur_pairs":
        return list(SLUR_PAIRS)
    return list(TARGETS[kind])


def templates() -> list[tuple[str, str]]:
    """Every (functionality, template string), for the disjointness checks."""
    return [(fn, tpl) for fn, kinds in TEMPLATES.items() for tpls in kinds.values() for tpl in tpls]


def _labels(functionality: str) -> tuple[float | None, float | None]:
    """(hoax, provocation) for an example of `functionality`."""
    if functionality in BOTH_ZERO:
        return 0.0, 0.0
    head, value = HEAD[functionality]
    return (value, None) if head == "hoax" else (None, value)


def examples(seed: int) -> list[dict]:
    """Training examples: every template filled with a seeded sample of its target pool.

    Returns dicts {"text", "hoax", "provocation", "source", "functionality"}; the same seed
    always gives the same list."""
    rng = random.Random(seed)
    out: list[dict] = []
    seen: set[str] = set()
    for fn, kinds in TEMPLATES.items():
        hoax, provocation = _labels(fn)
        for kind, tpls in kinds.items():
            for tpl in tpls:
                if kind == "fills":
                    texts = [fill_template(tpl, fill=f) for f in PROFANITY_FILLS[tpl]]
                else:
                    pool = _pool(kind)
                    picks = rng.sample(pool, min(PER_TEMPLATE.get(kind, PER_TEMPLATE_DEFAULT), len(pool)))
                    if kind == "slur_pairs":
                        texts = [fill_template(tpl, target=name, slur=slur) for _, name, slur in picks]
                    else:
                        texts = [fill_template(tpl, target=name) for name in picks]
                for text in texts:
                    if text in seen:
                        continue
                    seen.add(text)
                    out.append(
                        {"text": text, "hoax": hoax, "provocation": provocation, "source": SOURCE, "functionality": fn}
                    )
    rng.shuffle(out)
    return out


# --- counterfactual name swaps ------------------------------------------------------------------
# swap_names() works on text that models.normalise has already lower-cased and normalised, so
# every form is lower-case, and the normaliser's own expansions are added at run time
# ("pks" -> "partai keadilan sejahtera", "kpu" -> "komisi pemelihan umum", "btp" -> "ahok").
# Forms whose normalisation collides with an ordinary word are left out on purpose: "pan" becomes
# "kapan", "mk" becomes "maka", "sby" becomes "surabaya", "ppp" becomes "pp"; "sandi" (password),
# "mega", "medan" (field) and "gelora" (spirit) are ordinary words.
#
# Each entity is a tuple of forms. For people the first form is the full name and the second the
# short one: a full name is replaced by a full name, a short name by a short name. A replacement
# always writes the entity's first (or second) form, normalised.

SWAP_NAMES: dict[str, list[tuple[str, ...]]] = {
    "person_m": [
        ("anies baswedan", "anies"),
        ("muhaimin iskandar", "cak imin", "muhaimin", "gus imin"),
        ("prabowo subianto", "prabowo"),
        ("gibran rakabuming raka", "gibran", "gibran rakabuming"),
        ("ganjar pranowo", "ganjar"),
        ("mahfud md", "mahfud"),
        ("joko widodo", "jokowi"),
        ("basuki tjahaja purnama", "ahok"),
        ("ridwan kamil", "kang emil"),
        ("dedi mulyadi", "kang dedi"),
        ("bobby nasution", "bobby"),
        ("airlangga hartarto", "airlangga"),
        ("agus harimurti yudhoyono", "ahy"),
        ("susilo bambang yudhoyono",),
        ("sandiaga uno", "sandiaga"),
        ("pramono anung", "pramono"),
        ("andika perkasa",),
        ("kaesang pangarep", "kaesang"),
        ("surya paloh",),
        ("zulkifli hasan", "zulhas"),
        ("erick thohir",),
    ],
    "person_f": [
        ("megawati soekarnoputri", "megawati"),
        ("puan maharani", "puan"),
        ("khofifah indar parawansa", "khofifah"),
        ("tri rismaharini", "risma"),
        ("susi pudjiastuti",),
        ("sri mulyani",),
    ],
    "party": [
        ("pdip", "pdi perjuangan", "pdi-p"),
        ("gerindra",),
        ("golkar",),
        ("pkb", "partai kebangkitan bangsa"),
        ("pks", "partai keadilan sejahtera"),
        ("nasdem", "partai nasdem"),
        ("demokrat",),
        ("partai amanat nasional",),
        ("psi", "partai solidaritas indonesia"),
        ("perindo",),
        ("hanura",),
        ("partai persatuan pembangunan",),
        ("partai buruh",),
        ("partai gelora",),
        ("partai ummat",),
    ],
    "election_body": [
        ("kpu", "komisi pemilihan umum"),
        ("bawaslu", "badan pengawas pemilu"),
        ("mahkamah konstitusi",),
        ("dkpp",),
    ],
    "security": [
        ("polri", "kepolisian republik indonesia"),
        ("tni", "tentara nasional indonesia"),
    ],
    "region": [
        ("jakarta", "dki jakarta"),
        ("aceh",),
        ("papua",),
        ("jawa timur", "jatim"),
        ("jawa barat", "jabar"),
        ("jawa tengah", "jateng"),
        ("sumatera utara", "sumut"),
        ("sumatera barat", "sumbar"),
        ("kalimantan barat", "kalbar"),
        ("sulawesi selatan", "sulsel"),
        ("bali",),
        ("maluku",),
        ("nusa tenggara timur", "ntt"),
        ("bekasi",),
        ("surabaya",),
        ("makassar",),
        ("bandung",),
    ],
}

# Ethnic groups and religions are swapped only as whole noun phrases ("orang batak",
# "umat hindu"): the prefix is kept and the name after it replaced, so grammar survives and
# "jawa" in "jawa timur" or "cina" meaning the Chinese state is never touched. A few names
# that only ever denote the group may also stand alone.
GROUP_PREFIXES = {
    "ethnic": ("orang", "suku", "etnis", "keturunan", "masyarakat"),
    "religion": ("umat", "kaum", "orang", "penganut", "pemeluk", "agama", "jemaat", "jemaah", "jamaah", "komunitas"),
}
GROUP_NAMES: dict[str, list[tuple[str, ...]]] = {
    "ethnic": [
        ("tionghoa", "cina", "china"), ("jawa",), ("batak",), ("madura",), ("papua",), ("arab",), ("bugis",),
        ("minang", "minangkabau"), ("sunda",), ("dayak",), ("ambon",), ("betawi",), ("bali",), ("flores",),
        ("nias",), ("melayu",), ("banjar",), ("toraja",), ("sasak",), ("minahasa",), ("aceh",),
    ],
    "religion": [
        ("islam", "muslim"), ("kristen", "nasrani", "kristiani", "protestan"), ("katolik", "katholik"), ("hindu",),
        ("buddha", "budha"), ("konghucu", "khonghucu"), ("ahmadiyah",), ("syiah",),
    ],
}
GROUP_STANDALONE = {"ethnic": ("tionghoa",), "religion": ("muslim", "nasrani", "ahmadiyah", "syiah")}
# "orang jawa timur" is a person from a province, not an ethnic group. "kepercayaan" is not a
# swappable religion: "orang kepercayaan" means a confidant.
_COMPASS = r"(?!\s+(?:timur|barat|tengah|utara|selatan|nugini)\b)"


@functools.lru_cache(maxsize=None)
def _norm(form: str) -> str:
    """`form` as models.normalise writes it (the slang map may expand abbreviations)."""
    try:
        from models.normalise import normalise
    except ImportError:  # pragma: no cover - the normaliser is stdlib-only and always present
        return form
    return normalise(form)


def _alternation(forms) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _matchers() -> list[tuple[str, re.Pattern, dict[str, int]]]:
    """(kind, pattern, {matched form: entity index}) for every swap kind."""
    matchers = []
    for kind, entities in SWAP_NAMES.items():
        lookup = {}
        for e, forms in enumerate(entities):
            for form in forms:
                for variant in (form, _norm(form)):
                    lookup.setdefault(variant, e)
        pattern = re.compile(rf"(?<!\w)(?:{_alternation(lookup)})(?!\w)")
        matchers.append((kind, pattern, lookup))
    for kind, entities in GROUP_NAMES.items():
        lookup = {variant: e for e, forms in enumerate(entities) for form in forms for variant in (form, _norm(form))}
        prefixes = _alternation(GROUP_PREFIXES[kind])
        standalone = _alternation(GROUP_STANDALONE[kind])
        # group "name" is what gets replaced; the prefix (if any) stays.
        pattern = re.compile(
            rf"(?<!\w)(?:(?:{prefixes})\s+(?P<name>{_alternation(lookup)})|(?P<alone>{standalone})){_COMPASS}(?!\w)"
        )
        matchers.append((kind, pattern, lookup))
    return matchers


def _entities(kind: str) -> list[tuple[str, ...]]:
    return SWAP_NAMES[kind] if kind in SWAP_NAMES else GROUP_NAMES[kind]


def _replacement(kind: str, old: int, new: int, matched: str) -> str:
    """The form of entity `new` that replaces `matched` (a form of entity `old`)."""
    forms = _entities(kind)[new]
    if kind.startswith("person") and len(forms) > 1:
        old_forms = _entities(kind)[old]
        # A name longer than the short form ("gibran rakabuming") is a full name.
        is_full = len(old_forms) == 1 or len(matched.split()) > len(_norm(old_forms[1]).split())
        return _norm(forms[0] if is_full else forms[1])
    return _norm(forms[0])


@functools.lru_cache(maxsize=1)
def _compiled_matchers() -> tuple:
    return tuple(_matchers())


def _name_spans(text: str) -> list[tuple[int, int, int, int, str, int]]:
    """Non-overlapping (match start, match end, name start, name end, kind, entity) in `text`."""
    spans = []
    for kind, pattern, lookup in _compiled_matchers():
        for m in pattern.finditer(text):
            if kind in GROUP_NAMES:
                group = "name" if m.group("name") is not None else "alone"
                start, end = m.span(group)
            else:
                start, end = m.span()
            spans.append((m.start(), m.end(), start, end, kind, lookup[text[start:end]]))
    # Overlaps ("orang bali" is ethnic, the bare "bali" inside it a region): the match that starts
    # first wins, then the longest.
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    chosen, last_end = [], -1
    for span in spans:
        if span[0] >= last_end:
            chosen.append(span)
            last_end = span[1]
    return chosen


#: The word a masked name becomes, per kind: no Indonesian word, one token, says the kind.
MASK_WORDS = {"person": "namatokoh", "party": "namapartai", "election_body": "namalembaga", "security": "namalembaga",
              "region": "namadaerah", "ethnic": "namasuku", "religion": "namaagama"}


def mask_names(text: str) -> str:
    """`text` with every known person, party, body, region and group name replaced by a word
    naming its kind ("prabowo" -> "namatokoh", "orang batak" -> "orang namasuku"), so a model
    that reads words (the n-gram half) cannot tie a score to a name."""
    pieces, pos = [], 0
    for _, _, start, end, kind, _ in _name_spans(text):
        word = MASK_WORDS.get(kind) or MASK_WORDS.get(kind.split("_")[0]) or "namaentitas"
        pieces += [text[pos:start], word]
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def swap_names(text: str, rng: random.Random) -> str | None:
    """Replace every known name in normalised `text` by another of the same kind.

    The same entity is always replaced by the same new one, and never by an entity already in
    the text. Returns None when the text holds no known name (or none could be swapped)."""
    chosen = _name_spans(text)
    if not chosen:
        return None
    present = {(s[4], s[5]) for s in chosen}
    new_entity: dict[tuple[str, int], int] = {}
    for s in chosen:
        key = (s[4], s[5])
        if key in new_entity:
            continue
        size = len(_entities(s[4]))
        taken = {e for k, e in present if k == s[4]} | {e for (k, _), e in new_entity.items() if k == s[4]}
        options = [e for e in range(size) if e not in taken]
        if options:
            new_entity[key] = rng.choice(options)
    pieces, pos = [], 0
    for _, _, start, end, kind, entity in chosen:
        if (kind, entity) not in new_entity:
            continue
        new = _replacement(kind, entity, new_entity[(kind, entity)], text[start:end])
        # "partai golkar" -> "partai partai buruh": drop the doubled "partai".
        if new.startswith("partai ") and text[:start].endswith("partai "):
            new = new[len("partai "):]
        pieces += [text[pos:start], new]
        pos = end
    pieces.append(text[pos:])
    swapped = "".join(pieces)
    return swapped if swapped != text else None
