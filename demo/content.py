# ruff: noqa: E501, C408 -- data tables read better one row a line, as dict(...) literals.
"""The demo world as data: two regions, their clinics, people, partners and portfolio.

Texts are in each region's language (Swedish for Västerbotten, Danish for Midtjylland). Every
row is found again by a natural key (slug, username, name, title), which keeps ``seed_demo``
idempotent. Dates are given in days relative to the day of seeding (negative = in the past).
"""

# A password that passes the project's validators (12+ characters, not common, not numeric).
# Demo only, published in README.md: never seed a production database.
DEMO_PASSWORD = "partnerskap-demo-2026"  # noqa: S105

DEMO_REGION_SLUG = "vasterbotten"

REGIONS = [
    {
        "slug": "vasterbotten",
        "name": "Region Västerbotten",
        "language": "sv",
        "time_zone": "Europe/Stockholm",
        "currency": "SEK",
    },
    {
        "slug": "midtjylland",
        "name": "Region Midtjylland",
        "language": "da",
        "time_zone": "Europe/Copenhagen",
        "currency": "DKK",
    },
]

# region slug, clinic slug, name, kind, innovation clinic since (days ago), description
CLINICS = [
    (
        "vasterbotten",
        "idun",
        "Tandvårdskliniken Idun",
        "dental",
        2900,
        "Folktandvårdens klinik i Umeå. Personalen har avsatt innovationstid varje vecka.",
    ),
    (
        "vasterbotten",
        "akut",
        "Medicinsk akutvårdsavdelning",
        "hospital_ward",
        2850,
        "Akutvårdsavdelning vid Norrlands universitetssjukhus.",
    ),
    (
        "vasterbotten",
        "bjurholm",
        "Bjurholms hälsocentral",
        "health_centre",
        2800,
        "Hälsocentral i en liten kommun med långa avstånd till sjukhuset.",
    ),
    (
        "midtjylland",
        "godstrup-akut",
        "Akutafdelingen Gødstrup",
        "hospital_ward",
        1500,
        "Fælles akutafdeling for Hospitalsenhed Vest.",
    ),
    (
        "midtjylland",
        "skanderborg",
        "Sundhedshuset Skanderborg",
        "health_centre",
        900,
        "Sundhedshus med praktiserende læger, hjemmepleje og genoptræning.",
    ),
]

# region, clinic (None = whole region), area, name, title, email, phone, how to reach
SUPPORT_CONTACTS = [
    ("vasterbotten", None, "technical", "Lena Sandberg", "IT-arkitekt, Digitaliseringsenheten",
     "lena.sandberg@regionvasterbotten.example", "090-785 10 10",
     "Drop-in tisdagar 13–15 i Innovationsrummet, byggnad 1B."),
    ("vasterbotten", None, "administrative", "Mikael Forsberg", "Innovationskoordinator",
     "mikael.forsberg@regionvasterbotten.example", "090-785 10 20", ""),
    ("vasterbotten", None, "legal_ip", "Sofia Åström", "Jurist, immateriella rättigheter",
     "sofia.astrom@regionvasterbotten.example", "",
     "Boka rådgivning om avtal, patent och licenser via e-post."),
    ("vasterbotten", None, "funding", "Henrik Wallin", "Finansieringsrådgivare",
     "henrik.wallin@regionvasterbotten.example", "090-785 10 40",
     "Hjälper med ansökningar till Vinnova och regionens innovationsfond."),
    ("vasterbotten", "idun", "technical", "Jonas Berglund", "Tandtekniker och superanvändare",
     "jonas.berglund@regionvasterbotten.example", "090-785 22 01", ""),
    ("vasterbotten", "idun", "administrative", "Maja Hedlund", "Verksamhetsutvecklare",
     "maja.hedlund@regionvasterbotten.example", "", "Finns på kliniken måndag–onsdag."),
    ("vasterbotten", "akut", "technical", "Oskar Lind", "Medicinteknisk ingenjör",
     "oskar.lind@regionvasterbotten.example", "090-785 30 15", ""),
    ("vasterbotten", "akut", "administrative", "Emma Nordin", "Innovationsombud",
     "emma.nordin@regionvasterbotten.example", "", ""),
    ("vasterbotten", "bjurholm", "administrative", "Karl Johansson", "Enhetschef",
     "karl.johansson@regionvasterbotten.example", "0932-120 00", ""),
    ("vasterbotten", "bjurholm", "funding", "Ingrid Persson", "Samordnare, kommunsamverkan",
     "", "0932-120 10", "Ring förmiddagar."),
    ("midtjylland", None, "technical", "Rasmus Møller", "Digitaliseringskonsulent",
     "rasmus.moller@rm.example", "7841 0000", "Åben træffetid torsdag 10–12."),
    ("midtjylland", None, "administrative", "Camilla Nielsen", "Innovationskonsulent",
     "camilla.nielsen@rm.example", "7841 0010", ""),
    ("midtjylland", None, "legal_ip", "Jakob Thomsen", "Jurist, Tech Transfer",
     "jakob.thomsen@rm.example", "", "Rådgivning om aftaler, patenter og licenser."),
    ("midtjylland", None, "funding", "Louise Andersen", "Fondsrådgiver",
     "louise.andersen@rm.example", "7841 0030", ""),
    ("midtjylland", "godstrup-akut", "technical", "Søren Poulsen", "Klinisk IT-superbruger",
     "soren.poulsen@rm.example", "", "Findes i afdelingen i dagtiden."),
    ("midtjylland", "skanderborg", "administrative", "Hanne Larsen", "Leder af sundhedshuset",
     "hanne.larsen@rm.example", "8794 7000", ""),
]  # fmt: skip

THEMES = [
    ("digitalisering-och-data", "Digitalisering och data"),
    ("patientsakerhet", "Patientsäkerhet"),
    ("prevention", "Prevention och hälsofrämjande"),
    ("vard-pa-distans", "Vård på distans"),
    ("arbetsmiljo", "Arbetsmiljö"),
    ("hallbarhet", "Hållbarhet"),
]

# username, first name, last name, role, clinic slug, region slug, can log in
USERS = [
    ("staff", "Sara", "Lindqvist", "staff", "idun", "vasterbotten", True),
    ("staff2", "Erik", "Holmström", "staff", "bjurholm", "vasterbotten", True),
    ("anna.berg", "Anna", "Berg", "staff", "idun", "vasterbotten", False),
    ("johan.nilsson", "Johan", "Nilsson", "staff", "akut", "vasterbotten", False),
    ("staff_dk", "Mette", "Sørensen", "staff", "godstrup-akut", "midtjylland", True),
    ("lars.jensen", "Lars", "Jensen", "staff", "skanderborg", "midtjylland", False),
    ("leader", "Karin", "Öberg", "leader", None, "vasterbotten", True),
    ("leader_akut", "Per", "Lundgren", "leader", None, "vasterbotten", True),
    ("leader_dk", "Anders", "Kristensen", "leader", None, "midtjylland", True),
    ("partner", "Maria", "Ek", "partner", None, None, True),
    ("partner2", "Jonas", "Wikström", "partner", None, None, True),
    ("admin", "Ada", "Admin", "admin", None, None, True),
]

# leader username → clinic slugs (empty: the whole region)
LEADER_SCOPES = {
    "leader": ("vasterbotten", []),
    "leader_akut": ("vasterbotten", ["akut"]),
    "leader_dk": ("midtjylland", []),
}

# name, kind, registration number, website, description
PARTNER_ORGANISATIONS = [
    ("Nordlig Medicinteknik AB", "company", "556000-1111", "https://nordlig-medicinteknik.example",
     "Utvecklar digitala verktyg för tandvård och primärvård."),
    ("Norrsken Digital Hälsa AB", "company", "556000-2222", "https://norrsken-halsa.example",
     "Läkemedels- och beslutsstöd för sjukhusvård."),
    ("Norrlands universitet (demo)", "academia", "202100-0000", "",
     "Forskargrupp i odontologi och tillämpad AI."),
    ("Stiftelsen Innovation Norr", "foundation", "", "",
     "Finansierar behovsdriven innovation i norra Sverige."),
    ("Patientföreningen Andning Norr", "patient_org", "", "",
     "Förening för personer med KOL och astma."),
    ("Bjurholms kommun", "public_body", "212000-2494", "",
     "Kommunen som driver hemtjänst och särskilt boende."),
    ("Sundhedsdata ApS", "company", "DK-12345678", "https://sundhedsdata.example",
     "Dansk virksomhed med løsninger til videokonsultation og data."),
    ("Jysk Sundhedsforskning (demo)", "academia", "", "",
     "Forskningsmiljø for genoptræning og sundhedsteknologi."),
    ("Patientforeningen Ryg og Led", "patient_org", "", "",
     "Forening for mennesker med ryg- og ledsygdomme."),
]  # fmt: skip

PARTNER_USERS = {"partner": "Nordlig Medicinteknik AB", "partner2": "Norrsken Digital Hälsa AB"}

# region, clinic (None = region-wide), title, description, posted by, closes in days, partners?
CHALLENGES = [
    ("vasterbotten", None, "Hur kan vi minska onödiga besök på akuten?",
     "Många patienter söker akutvård för besvär som hade kunnat tas om hand närmare hemmet. "
     "Vilka arbetssätt eller verktyg kan hjälpa dem rätt från början?",
     "leader", 45, True),
    ("vasterbotten", "idun", "Färre uteblivna tandvårdsbesök",
     "Var tionde bokad tid uteblir. Hur påminner och stöttar vi patienterna bättre?",
     "leader", 20, False),
    ("vasterbotten", "bjurholm", "Vård nära patienter med långa resvägar",
     "Hur kan patienter i glesbygd få uppföljning utan att resa till Umeå?",
     "leader", None, True),
    ("vasterbotten", "akut", "Säkrare överrapportering mellan skift",
     "Information tappas bort vid skiftbyte. Hur gör vi överrapporteringen säker och snabb?",
     "leader_akut", -10, False),
    ("midtjylland", None, "Færre genindlæggelser af ældre patienter",
     "Hvordan kan vi støtte ældre patienter i overgangen fra hospital til eget hjem?",
     "leader_dk", 60, True),
    ("midtjylland", "godstrup-akut", "Kortere ventetid i akutmodtagelsen",
     "Hvilke løsninger kan give patienterne et hurtigere og tryggere forløb?",
     "leader_dk", 30, False),
]  # fmt: skip

# Ideas: every status in both regions. ``days`` = days ago the idea was created; the history
# (submitted, reviewed, decided) follows from it. Keys: region, clinic, submitter, title,
# problem, proposal, benefits (patients, staff, economy), status, days, challenge, themes,
# question (needs_info), answer, decline reason, merged into (title), review (leader's scores).
IDEAS = [
    # --- Region Västerbotten ---
    dict(clinic="idun", submitter="staff", status="accepted", days=400,
         title="Digital triage av akuta tandbesvär",
         problem="Telefonköerna för akuta tandbesvär är långa och patienterna beskriver sina "
                 "besvär olika varje gång.",
         proposal="Ett digitalt frågeformulär som sorterar patienterna efter hur bråttom det är.",
         benefit_patients="Snabbare hjälp till dem som har mest ont.",
         benefit_staff="Färre samtal och bättre underlag före besöket.",
         benefit_economy="Färre akuta besök som kunde ha väntat.",
         themes=["digitalisering-och-data", "patientsakerhet"], review=(5, 4, 4, 4, 5)),
    dict(clinic="idun", submitter="anna.berg", status="accepted", days=330,
         title="AI-stöd för kariesdiagnostik",
         problem="Tidig karies är svår att se på röntgenbilder och bedömningarna skiljer sig.",
         proposal="Ett AI-stöd som markerar misstänkta angrepp för tandläkaren.",
         benefit_patients="Karies upptäcks tidigare.", themes=["digitalisering-och-data"],
         review=(4, 3, 4, 3, 5)),
    dict(clinic="akut", submitter="johan.nilsson", status="accepted", days=500,
         title="Läkemedelsgenomgång med farmaceut vid inskrivning",
         problem="Äldre patienter läggs in med många läkemedel som ingen har gått igenom.",
         proposal="En farmaceut i teamet gör en strukturerad genomgång med digitalt stöd.",
         benefit_patients="Färre läkemedelsbiverkningar.", themes=["patientsakerhet"],
         review=(5, 4, 4, 4, 4)),
    dict(clinic="bjurholm", submitter="staff2", status="accepted", days=700,
         title="Virtuellt vårdrum i Bjurholm",
         problem="Patienterna reser tio mil för korta återbesök hos specialist.",
         proposal="Ett vårdrum på hälsocentralen med uppkopplad undersökningsutrustning.",
         benefit_patients="Slipper långa resor.", benefit_economy="Lägre kostnader för resor.",
         themes=["vard-pa-distans", "digitalisering-och-data"], review=(5, 4, 5, 4, 5)),
    dict(clinic="bjurholm", submitter="staff2", status="accepted", days=900,
         title="Hemmonitorering av patienter med KOL",
         problem="KOL-patienter försämras hemma utan att vi märker det i tid.",
         proposal="Patienterna mäter syremättnad hemma och vi får larm vid avvikelser.",
         themes=["vard-pa-distans", "prevention"], review=(4, 4, 4, 4, 4)),
    dict(clinic="akut", submitter="johan.nilsson", status="accepted", days=300,
         title="Tidig varning för sepsis",
         problem="Tecken på sepsis upptäcks för sent när vitalparametrar förs på papper.",
         proposal="Digital NEWS2 med automatisk varning till läkaren.",
         themes=["patientsakerhet", "digitalisering-och-data"], review=(5, 3, 4, 3, 5)),
    dict(clinic="idun", submitter="staff", status="draft", days=3,
         title="SMS-påminnelse med möjlighet att boka om",
         problem="Patienter som inte kan komma hör inte av sig, och tiden går förlorad.",
         proposal="Påminnelsen innehåller en länk där patienten själv kan boka om.",
         challenge="Färre uteblivna tandvårdsbesök"),
    dict(clinic="idun", submitter="staff", status="submitted", days=6,
         title="Färgkodade instrumentbrickor",
         problem="Det tar tid att hitta rätt instrument när brickorna ser likadana ut.",
         proposal="Färgkoda brickorna efter behandlingstyp.", themes=["arbetsmiljo"]),
    dict(clinic="idun", submitter="staff", status="needs_info", days=25,
         title="Digital hälsodeklaration före besöket",
         problem="Patienterna fyller i hälsodeklarationen på papper i väntrummet.",
         question="Hur ska deklarationen nå journalen? Har du pratat med IT om integrationen?",
         themes=["digitalisering-och-data"]),
    dict(clinic="idun", submitter="staff", status="declined", days=120,
         title="Egen app för kliniken",
         problem="Patienterna saknar ett enkelt sätt att nå oss.",
         proposal="En egen app för Idun med bokning och meddelanden.",
         decline_reason="Regionen inför en gemensam invånartjänst nästa år; vi bygger inte en "
                        "egen app vid sidan av den.", review=(3, 2, 1, 2, 1)),
    dict(clinic="idun", submitter="anna.berg", status="in_review", days=15,
         title="Tandborstskola för förskolor",
         problem="Många barn kommer med karies som hade kunnat förebyggas.",
         proposal="Hygienister besöker förskolor med en kort tandborstskola.",
         themes=["prevention"], challenge="Färre uteblivna tandvårdsbesök",
         review=(4, 3, 3, 5, 4)),
    dict(clinic="idun", submitter="anna.berg", status="withdrawn", days=200,
         title="Musik i behandlingsrummen",
         problem="Många patienter är nervösa under behandlingen."),
    dict(clinic="idun", submitter="staff", status="merged", days=40,
         title="Tandhygienist besöker förskolan",
         problem="Barnen är rädda för tandvården redan vid första besöket.",
         merged_into="Tandborstskola för förskolor", themes=["prevention"]),
    dict(clinic="akut", submitter="johan.nilsson", status="submitted", days=2,
         title="Checklista för säker överrapportering",
         problem="Viktig information om patienten tappas bort vid skiftbyte.",
         proposal="En digital checklista enligt SBAR direkt i journalen.",
         challenge="Säkrare överrapportering mellan skift", themes=["patientsakerhet"]),
    dict(clinic="akut", submitter="johan.nilsson", status="in_review", days=18,
         title="Sensorgolv som upptäcker fall",
         problem="Fall nattetid upptäcks ibland först vid nästa rond.",
         proposal="Sensorer i golvet som larmar personalen.", themes=["patientsakerhet"],
         review=(4, 4, 3, 2, 4)),
    dict(clinic="bjurholm", submitter="staff2", status="submitted", days=9,
         title="Digital tavla för hemsjukvårdens besök",
         problem="Vi vet inte vilka hembesök kommunen redan har gjort under dagen.",
         challenge="Vård nära patienter med långa resvägar"),
    dict(clinic="bjurholm", submitter="staff2", status="needs_info", days=30,
         title="Provtagning på apoteket",
         problem="Patienter reser till hälsocentralen bara för att lämna prov.",
         question="Vilka prover tänker du dig? Behövs kylförvaring?",
         answer="", themes=["vard-pa-distans"]),
    dict(clinic="bjurholm", submitter="staff2", status="declined", days=150,
         title="Gratis parkering för patienter",
         problem="Patienterna klagar på parkeringsavgiften.",
         decline_reason="Parkeringen ägs av kommunen och ligger utanför innovationsprogrammet."),
    # --- Region Midtjylland ---
    dict(clinic="skanderborg", submitter="lars.jensen", status="accepted", days=250,
         title="Digital genoptræning efter hofteoperation",
         problem="Patienterne mister motivationen til genoptræning, når de kommer hjem.",
         proposal="En app med videoøvelser og opfølgning fra fysioterapeuten.",
         themes=["digitalisering-och-data", "prevention"], review=(4, 4, 3, 4, 4)),
    dict(clinic="godstrup-akut", submitter="staff_dk", status="accepted", days=220,
         title="Videokonsultation i akutmodtagelsen",
         problem="Speciallægen er ikke altid i huset om natten.",
         proposal="Videokonsultation med bagvagten direkte fra undersøgelsesstuen.",
         themes=["vard-pa-distans"], review=(5, 4, 4, 3, 4)),
    dict(clinic="skanderborg", submitter="lars.jensen", status="accepted", days=100,
         title="Forebyggende hjemmebesøg med data",
         problem="Vi opdager for sent, når ældre borgere bliver svækkede.",
         themes=["prevention"], review=(4, 3, 3, 4, 4)),
    dict(clinic="godstrup-akut", submitter="staff_dk", status="draft", days=1,
         title="Tydelig skiltning til akutmodtagelsen",
         problem="Patienter og pårørende farer vild på det nye hospital."),
    dict(clinic="godstrup-akut", submitter="staff_dk", status="submitted", days=5,
         title="Ventetid vist på skærm i venteværelset",
         problem="Patienterne ved ikke, hvor længe de skal vente.",
         challenge="Kortere ventetid i akutmodtagelsen"),
    dict(clinic="godstrup-akut", submitter="staff_dk", status="in_review", days=12,
         title="Opkald dagen efter udskrivelse",
         problem="Ældre patienter er usikre på medicinen efter udskrivelse.",
         challenge="Færre genindlæggelser af ældre patienter", review=(4, 3, 4, 5, 5)),
    dict(clinic="skanderborg", submitter="lars.jensen", status="needs_info", days=20,
         title="Fælles kalender med hjemmeplejen",
         problem="Vi booker besøg, som hjemmeplejen ikke kender til.",
         question="Hvilke systemer bruger hjemmeplejen i dag?"),
    dict(clinic="skanderborg", submitter="lars.jensen", status="declined", days=90,
         title="Robotstøvsuger i ventearealet",
         problem="Rengøringen når ikke ventearealet i åbningstiden.",
         decline_reason="Ligger uden for innovationsprogrammet; henvist til serviceafdelingen."),
    dict(clinic="godstrup-akut", submitter="staff_dk", status="withdrawn", days=60,
         title="Farvede armbånd til triage",
         problem="Det er svært at se patientens triagekategori på afstand."),
    dict(clinic="godstrup-akut", submitter="staff_dk", status="merged", days=10,
         title="SMS når der er ledig plads",
         problem="Patienter med lav prioritet venter unødigt i venteværelset.",
         merged_into="Ventetid vist på skærm i venteværelset"),
]  # fmt: skip

# Projects in every stage. ``idea`` names the accepted idea it grew from; ``parties`` map
# organisation (None = the region) → (risk share, value share, hours, money, knowledge).
PROJECTS = [
    dict(title="Digital triage av akuta tandbesvär", idea="Digital triage av akuta tandbesvär",
         clinic="idun", owner="leader", stage="pilot", health="on_track", days=360,
         other_clinics=["bjurholm"], themes=["digitalisering-och-data", "patientsakerhet"],
         summary="Ett digitalt triageformulär prövas på Idun innan det sprids till fler kliniker.",
         agreements=[dict(
             title="Partnerskapsavtal digital triage", status="active", days=300,
             parties={None: (60, 60, 800, 0, "Kliniska experter och testmiljö"),
                      "Nordlig Medicinteknik AB": (40, 40, 1200, 350000, "Utveckling av formuläret")},
             ip=[("licence", "Licens för triageformuläret", "LIC-2025-014", 150)],
             income=[(45000, 120, "Licensintäkt första halvåret", 0),
                     (52000, 20, "Licensintäkt andra halvåret", 0)])]),
    dict(title="AI-stöd för kariesdiagnostik", idea="AI-stöd för kariesdiagnostik",
         clinic="idun", owner="leader", stage="development", health="at_risk", days=300,
         themes=["digitalisering-och-data"],
         summary="Ett AI-stöd tränas på anonymiserade röntgenbilder tillsammans med universitetet.",
         agreements=[dict(
             title="Avtal AI-stöd karies", status="proposed", days=20,
             parties={None: (50, 50, 400, 100000, "Bilddata och kliniska bedömningar"),
                      "Nordlig Medicinteknik AB": (30, 30, 900, 250000, "Mjukvaruutveckling"),
                      "Norrlands universitet (demo)": (20, 20, 600, 0, "Forskning i AI")})]),
    dict(title="Läkemedelsgenomgång med farmaceut", idea="Läkemedelsgenomgång med farmaceut vid inskrivning",
         clinic="akut", owner="leader_akut", stage="implementation", health="on_track", days=450,
         themes=["patientsakerhet"],
         summary="Strukturerad läkemedelsgenomgång vid inskrivning införs på hela avdelningen.",
         agreements=[dict(
             title="Samverkansavtal läkemedelsgenomgång", status="signed", days=400,
             parties={None: (70, 70, 1500, 0, "Farmaceuter och avdelningens rutiner"),
                      "Norrsken Digital Hälsa AB": (30, 30, 500, 200000, "Beslutsstöd")})]),
    dict(title="Fallprevention med sensorgolv", idea=None,
         clinic="akut", owner="leader_akut", stage="concept", health="on_track", days=20,
         themes=["patientsakerhet"],
         summary="Förstudie om sensorgolv som larmar när en patient faller nattetid.",
         agreements=[dict(
             title="Avtalsutkast sensorgolv", status="draft", days=5,
             parties={None: (60, 60, 100, 0, ""),
                      "Stiftelsen Innovation Norr": (40, 40, 0, 150000, "Finansiering")})]),
    dict(title="Virtuellt vårdrum i Bjurholm", idea="Virtuellt vårdrum i Bjurholm",
         clinic="bjurholm", owner="leader", stage="scale_up", health="on_track", days=650,
         other_clinics=["idun"], themes=["vard-pa-distans", "digitalisering-och-data"],
         summary="Vårdrummet har fungerat i Bjurholm och sprids nu till fler hälsocentraler.",
         agreements=[
             dict(title="Partnerskapsavtal virtuellt vårdrum", status="ended", days=600,
                  parties={None: (50, 50, 1000, 500000, "Lokaler och personal"),
                           "Nordlig Medicinteknik AB": (50, 50, 1500, 300000, "Utrustning")}),
             dict(title="Partnerskapsavtal virtuellt vårdrum", status="active", days=200,
                  version=2,
                  parties={None: (45, 50, 1200, 400000, "Lokaler och personal"),
                           "Nordlig Medicinteknik AB": (40, 35, 1800, 300000, "Utrustning och support"),
                           "Bjurholms kommun": (15, 15, 300, 100000, "Hemtjänstens medverkan")},
                  ip=[("disclosure", "Uppfinningsanmälan: fjärrstyrd otoskophållare", "UA-2024-03", 400),
                      ("patent", "Patentansökan otoskophållare", "SE2450123-4", 300)],
                  income=[(80000, 60, "Försäljning till Region Norrbotten", 1)])]),
    dict(title="Hemmonitorering av patienter med KOL", idea="Hemmonitorering av patienter med KOL",
         clinic="bjurholm", owner="leader", stage="completed", health="on_track", days=850,
         ended=60, themes=["vard-pa-distans", "prevention"],
         summary="Hemmonitoreringen är införd i ordinarie verksamhet och projektet är avslutat.",
         agreements=[dict(
             title="Avtal hemmonitorering KOL", status="ended", days=800,
             parties={None: (55, 60, 900, 0, "Sjuksköterskor och patienter"),
                      "Norrsken Digital Hälsa AB": (35, 30, 700, 250000, "Mätplattform"),
                      "Patientföreningen Andning Norr": (10, 10, 100, 0, "Patientperspektiv")},
             ip=[("patent", "Patent larmlogik för syremättnad", "SE2350777-1", 500)],
             income=[(120000, 100, "Royalty", 0)])]),
    dict(title="Självincheckning med QR-kod", idea=None,
         clinic="idun", owner="leader", stage="stopped", health="off_track", days=500, ended=250,
         themes=["digitalisering-och-data"],
         summary="Stoppad: lösningen gick inte att koppla till tidbokningssystemet."),
    dict(title="Tidig varning för sepsis", idea="Tidig varning för sepsis",
         clinic="akut", owner="leader_akut", stage="pilot", health="off_track", days=280,
         themes=["patientsakerhet", "digitalisering-och-data"],
         summary="Digital NEWS2 prövas på avdelningen; integrationen med journalen är försenad.",
         agreements=[dict(
             title="Partnerskapsavtal sepsisvarning", status="active", days=250,
             parties={None: (50, 50, 600, 0, "Kliniska data"),
                      "Norrsken Digital Hälsa AB": (30, 40, 900, 150000, "Algoritm och gränssnitt"),
                      "Stiftelsen Innovation Norr": (20, 10, 0, 300000, "Finansiering")})]),
    # --- Region Midtjylland ---
    dict(title="Digital genoptræning efter hofteoperation",
         idea="Digital genoptræning efter hofteoperation",
         clinic="skanderborg", owner="leader_dk", stage="development", health="on_track",
         days=230, themes=["digitalisering-och-data", "prevention"],
         summary="En app med videoøvelser udvikles sammen med forskere og patienter.",
         agreements=[dict(
             title="Partnerskabsaftale digital genoptræning", status="proposed", days=15,
             parties={None: (50, 50, 500, 0, "Fysioterapeuter"),
                      "Sundhedsdata ApS": (30, 30, 800, 200000, "Appudvikling"),
                      "Jysk Sundhedsforskning (demo)": (20, 20, 400, 0, "Evaluering")})]),
    dict(title="Videokonsultation i akutmodtagelsen", idea="Videokonsultation i akutmodtagelsen",
         clinic="godstrup-akut", owner="leader_dk", stage="pilot", health="at_risk", days=200,
         themes=["vard-pa-distans"],
         summary="Videokonsultation med bagvagten afprøves i nattevagter.",
         agreements=[dict(
             title="Partnerskabsaftale videokonsultation", status="active", days=180,
             parties={None: (60, 60, 700, 0, "Læger og sygeplejersker"),
                      "Sundhedsdata ApS": (30, 35, 900, 250000, "Videoplatform"),
                      "Patientforeningen Ryg og Led": (10, 5, 50, 0, "Brugerinddragelse")},
             ip=[("licence", "Licens til videomodul", "DK-LIC-77", 60)],
             income=[(30000, 30, "Licensindtægt", 0)])]),
    dict(title="Forebyggende hjemmebesøg med data", idea="Forebyggende hjemmebesøg med data",
         clinic="skanderborg", owner="leader_dk", stage="concept", health="on_track", days=80,
         themes=["prevention"],
         summary="Forundersøgelse af hvilke data der kan forudsige svækkelse hos ældre."),
]  # fmt: skip

# Milestones per project title: (title, responsible organisation or None, due in days,
# status, progress, confirmed). Overdue and due-soon ones on purpose.
MILESTONES = {
    "Digital triage av akuta tandbesvär": [
        ("Kravspecifikation klar", None, -250, "done", 100, True),
        ("Första version av formuläret", "Nordlig Medicinteknik AB", -150, "done", 100, True),
        ("Pilot med 200 patienter", None, 5, "in_progress", 70, False),
        ("Utvärderingsrapport", "Nordlig Medicinteknik AB", 60, "planned", 0, False),
        ("Koppling till tidboken", "Nordlig Medicinteknik AB", -7, "blocked", 30, False),
    ],
    "AI-stöd för kariesdiagnostik": [
        ("Etikprövning godkänd", "Norrlands universitet (demo)", -60, "done", 100, True),
        ("Anonymiserade bilder levererade", None, -12, "in_progress", 80, False),
        ("Första modellen tränad", "Nordlig Medicinteknik AB", 10, "in_progress", 40, False),
        ("Validering mot tandläkare", "Norrlands universitet (demo)", 90, "planned", 0, False),
    ],
    "Läkemedelsgenomgång med farmaceut": [
        ("Rutin beslutad", None, -380, "done", 100, True),
        ("Beslutsstöd installerat", "Norrsken Digital Hälsa AB", -200, "done", 100, True),
        ("Utbildning av all personal", None, 14, "in_progress", 85, False),
        ("Uppföljning efter ett år", None, 120, "planned", 0, False),
    ],
    "Fallprevention med sensorgolv": [
        ("Förstudie klar", None, 30, "in_progress", 20, False),
    ],
    "Virtuellt vårdrum i Bjurholm": [
        ("Vårdrummet invigt", None, -500, "done", 100, True),
        ("Utrustning uppgraderad", "Nordlig Medicinteknik AB", -30, "done", 100, False),
        ("Andra hälsocentralen i gång", "Bjurholms kommun", 3, "in_progress", 90, False),
        ("Spridningsplan för länet", None, 45, "planned", 10, False),
        ("Avtal med Region Norrbotten", "Nordlig Medicinteknik AB", -20, "in_progress", 60, False),
    ],
    "Hemmonitorering av patienter med KOL": [
        ("Plattform upphandlad", "Norrsken Digital Hälsa AB", -780, "done", 100, True),
        ("50 patienter anslutna", None, -400, "done", 100, True),
        ("Slutrapport", None, -70, "done", 100, True),
    ],
    "Självincheckning med QR-kod": [
        ("Prototyp", None, -400, "done", 100, True),
        ("Integration med tidboken", None, -260, "blocked", 20, False),
    ],
    "Tidig varning för sepsis": [
        ("Algoritm validerad", "Norrsken Digital Hälsa AB", -120, "done", 100, True),
        ("Integration med journalen", "Norrsken Digital Hälsa AB", -30, "blocked", 40, False),
        ("Pilot på avdelning 5", None, -5, "in_progress", 50, False),
        ("Utvärdering", "Stiftelsen Innovation Norr", 75, "planned", 0, False),
    ],
    "Digital genoptræning efter hofteoperation": [
        ("Brugerinterviews gennemført", "Jysk Sundhedsforskning (demo)", -40, "done", 100, True),
        ("Prototype af appen", "Sundhedsdata ApS", 7, "in_progress", 65, False),
        ("Test med 20 patienter", None, 80, "planned", 0, False),
    ],
    "Videokonsultation i akutmodtagelsen": [
        ("Udstyr installeret", "Sundhedsdata ApS", -150, "done", 100, True),
        ("Pilot i nattevagter", None, -3, "in_progress", 75, False),
        ("Evaluering", "Patientforeningen Ryg og Led", 40, "planned", 0, False),
    ],
    "Forebyggende hjemmebesøg med data": [
        ("Datakilder kortlagt", None, 20, "in_progress", 30, False),
    ],
}  # fmt: skip

# Value indicators per project: (dimension, name, unit, baseline, target, [measurements]),
# measurements as (days ago, value).
VALUE_INDICATORS = {
    "Digital triage av akuta tandbesvär": [
        ("care_pathway", "Väntetid i telefon", "minuter", 18, 5, [(200, 15), (100, 9), (14, 7)]),
        ("staff", "Samtal per dag", "samtal", 120, 70, [(100, 95), (14, 82)]),
    ],
    "AI-stöd för kariesdiagnostik": [
        ("patient_quality", "Andel tidigt upptäckt karies", "%", 40, 70, [(30, 48)]),
    ],
    "Läkemedelsgenomgång med farmaceut": [
        ("patient_quality", "Läkemedelsrelaterade återinläggningar", "per 1000", 32, 20,
         [(300, 29), (150, 24), (20, 22)]),
        ("economy", "Kostnad per vårdtillfälle", "SEK", 54000, 50000, [(20, 52500)]),
    ],
    "Fallprevention med sensorgolv": [
        ("patient_quality", "Fall nattetid per månad", "fall", 6, 2, []),
    ],
    "Virtuellt vårdrum i Bjurholm": [
        ("care_pathway", "Resor till Umeå per månad", "resor", 140, 60, [(400, 110), (200, 75), (10, 58)]),
        ("economy", "Resekostnader per år", "SEK", 900000, 400000, [(10, 420000)]),
    ],
    "Hemmonitorering av patienter med KOL": [
        ("patient_quality", "Akuta inläggningar per patient och år", "st", 2.4, 1.5, [(400, 1.9), (70, 1.4)]),
        ("staff", "Hembesök per vecka", "besök", 25, 15, [(70, 14)]),
    ],
    "Självincheckning med QR-kod": [
        ("staff", "Tid i receptionen per patient", "minuter", 4, 1, [(300, 4)]),
    ],
    "Tidig varning för sepsis": [
        ("patient_quality", "Tid till antibiotika vid sepsis", "minuter", 180, 60, [(60, 150), (7, 140)]),
    ],
    "Digital genoptræning efter hofteoperation": [
        ("care_pathway", "Andel der gennemfører genoptræning", "%", 55, 85, [(30, 60)]),
    ],
    "Videokonsultation i akutmodtagelsen": [
        ("care_pathway", "Tid til speciallægevurdering", "minutter", 95, 30, [(90, 60), (5, 45)]),
        ("economy", "Overflytninger til Aarhus", "pr. måned", 40, 25, [(5, 31)]),
    ],
    "Forebyggende hjemmebesøg med data": [
        ("patient_quality", "Faldulykker blandt ældre", "pr. år", 120, 80, []),
    ],
}  # fmt: skip

# Status updates per project: (days ago, health, text). The newest one carries the project's
# current health.
STATUS_UPDATES = {
    "Digital triage av akuta tandbesvär": [
        (90, "at_risk", "Piloten försenad en månad i väntan på utbildning av personalen."),
        (10, "on_track", "Piloten är i gång; 140 av 200 patienter har använt formuläret."),
    ],
    "AI-stöd för kariesdiagnostik": [
        (12, "at_risk", "Leveransen av bilder är försenad; modellträningen skjuts upp."),
    ],
    "Läkemedelsgenomgång med farmaceut": [
        (30, "on_track", "Rutinen används på alla salar. Utbildningen avslutas i månaden."),
    ],
    "Fallprevention med sensorgolv": [
        (5, "on_track", "Förstudien har börjat; leverantörsdialog planeras."),
    ],
    "Virtuellt vårdrum i Bjurholm": [
        (120, "on_track", "Tre hälsocentraler har visat intresse för vårdrummet."),
        (8, "on_track", "Den andra hälsocentralen öppnar sitt vårdrum nästa vecka."),
    ],
    "Hemmonitorering av patienter med KOL": [
        (60, "on_track", "Projektet avslutat. Arbetssättet ingår nu i ordinarie vård."),
    ],
    "Självincheckning med QR-kod": [
        (250, "off_track", "Styrgruppen beslutade att stoppa projektet."),
    ],
    "Tidig varning för sepsis": [
        (40, "at_risk", "Journalintegrationen är försenad."),
        (6, "off_track", "Integrationen är blockerad; leverantören behöver ny åtkomst."),
    ],
    "Digital genoptræning efter hofteoperation": [
        (14, "on_track", "Prototypen er klar til de første brugertests."),
    ],
    "Videokonsultation i akutmodtagelsen": [
        (4, "at_risk", "Forbindelsen er ustabil om natten; leverandøren undersøger det."),
    ],
}  # fmt: skip

# Innovation time: project → [(username, hours a week)] for the last weeks.
INNOVATION_TIME = {
    "Digital triage av akuta tandbesvär": [("staff", 4), ("anna.berg", 2)],
    "AI-stöd för kariesdiagnostik": [("anna.berg", 3)],
    "Virtuellt vårdrum i Bjurholm": [("staff2", 3)],
    "Tidig varning för sepsis": [("johan.nilsson", 2.5)],
    "Videokonsultation i akutmodtagelsen": [("staff_dk", 2)],
}
INNOVATION_TIME_WEEKS = 6
