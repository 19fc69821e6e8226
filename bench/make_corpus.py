#!/usr/bin/env python3
"""Generate a deterministic tree of varied health-marketing copy for speed benchmarks.

    python bench/make_corpus.py OUTDIR [--words 1000000] [--files 1000] [--seed 1]
    python bench/make_corpus.py --export FILE.jsonl [--pages 100000] [--seed 1]

The tree mixes ``.txt`` files (title, paragraphs separated by blank lines,
headings on their own lines, footnote lines) and ``.md`` files (front matter,
headings, bullet and numbered lists, emphasis, links, block quotes, occasional
fenced code blocks and tables, ``[^n]`` footnotes).  File sizes vary between
300 and 3,000 words.

Sentences come from well over a hundred templates (efficacy, hedged, negated,
question, quantified, comparative, absolute and establishment claims,
refutations, disclaimers, footnote markers, neutral education, mechanisms,
business facts, instructions, testimonials) filled from sizeable vocabularies.
Realistic text has a long tail of rare words; a corpus with few distinct words
flatters spaCy's tokenizer cache, so extra filler nouns, participles,
comparatives and gerunds are drawn from the English lemma lookup table shipped
with ``spacy-lookups-data`` (only its purely alphabetic lowercase ASCII keys of
4-14 letters).  That lookup file is the only thing read from outside the
standard library; it is located through the installed ``spacy_lookups_data``
package (run with the project venv) or given with ``--lookup``.

With ``--export`` it writes a content export instead of a tree: JSON Lines, one short page a
line (``{"id", "text", "format"}``, about 15-60 words, cut after a sentence from the same
documents), the input ``claimcheck scan`` reads.

Output is a pure function of (--words, --files, --seed) (or --pages, --seed) and the lookup file.
At the end the script prints the number of files, the total number of words
(whitespace-split) and the number of distinct lowercase word tokens.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import importlib.util
import json
import random
import re
import shutil
import sys
import time
from pathlib import Path

MARKER_FILE = ".claimcheck-bench-corpus"
MIN_WORDS = 300
MAX_WORDS = 3000
PLAN_MAX = MAX_WORDS - 150  # room for the footer and the last paragraph

# --------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------

CONDITIONS = """back pain|lower back pain|neck pain|sciatica|plantar fasciitis|migraines|
tension headaches|arthritis|osteoarthritis|rheumatoid arthritis|knee pain|hip pain|shoulder pain|
frozen shoulder|rotator cuff injuries|tennis elbow|golfer's elbow|carpal tunnel syndrome|neuropathy|
peripheral neuropathy|fibromyalgia|chronic fatigue|insomnia|sleep apnea|snoring|anxiety|stress|
low mood|brain fog|acne|eczema|psoriasis|rosacea|hair loss|thinning hair|wrinkles|fine lines|
cellulite|varicose veins|spider veins|erectile dysfunction|low testosterone|menopause symptoms|
hot flashes|PMS|bloating|acid reflux|heartburn|IBS|constipation|leaky gut|food sensitivities|
seasonal allergies|sinus congestion|asthma|high blood pressure|high cholesterol|type 2 diabetes|
prediabetes|obesity|weight gain|belly fat|joint stiffness|inflammation|muscle soreness|muscle cramps|
tendonitis|bursitis|gout|bunions|hammertoes|heel spurs|Achilles tendinitis|shin splints|ankle sprains|
TMJ disorder|jaw pain|tooth sensitivity|gum disease|bad breath|dry eye|cataracts|macular degeneration|
tinnitus|vertigo|hearing loss|spinal stenosis|herniated discs|bulging discs|degenerative disc disease|
scoliosis|whiplash|pinched nerves|chronic pain|post-surgical pain|osteoporosis|low energy|
poor circulation|cold hands and feet|restless legs|urinary incontinence|overactive bladder|
kidney stones|UTIs|yeast infections|cold sores|shingles pain|toenail fungus|athlete's foot|warts|
scars|stretch marks|sun damage|age spots|dark circles|puffy eyes|dandruff|brittle nails|memory loss|
poor focus|jet lag|hangovers|seasonal affective disorder|sports injuries|concussion symptoms|
post-viral fatigue|thyroid imbalance|adrenal fatigue|hormonal imbalance|infertility|morning sickness|
postpartum recovery|diastasis recti|pelvic floor weakness|chronic sinusitis|post-nasal drip|
plaque buildup|cavities|sleep problems|night sweats|muscle loss|poor posture|text neck|headaches|
cluster headaches|Morton's neuroma|flat feet|trigger finger|De Quervain's tenosynovitis|
sacroiliac joint pain|piriformis syndrome|IT band syndrome|runner's knee|patellar tendinitis|
meniscus tears|labral tears|hip bursitis|lymphedema|swollen ankles|chronic bronchitis|
high triglycerides|fatty liver|gallbladder attacks|ulcers|gastritis|candida overgrowth|
histamine intolerance|lactose intolerance|hives|hyperhidrosis|melasma|keloids|sagging skin|
double chin|love handles|sugar cravings|emotional eating|nicotine cravings|burnout""".replace("\n", "").split("|")

BODY_PARTS = """back|lower back|spine|neck|shoulders|knees|hips|ankles|feet|heels|toes|wrists|hands|
fingers|elbows|jaw|skin|scalp|hair follicles|joints|cartilage|tendons|ligaments|muscles|nerves|gut|
liver|kidneys|heart|arteries|lungs|sinuses|brain|eyes|ears|gums|teeth|thyroid|adrenal glands|
pelvic floor|bladder|prostate|immune system|lymphatic system|bones|discs|vertebrae|hamstrings|calves|
quadriceps|glutes|forearms|plantar fascia|rotator cuff|collagen fibers|blood vessels|cells|
mitochondria|microbiome|digestive tract|nervous system|metabolism|hormones|face|eyelids|lips|nails|
core|hip flexors|Achilles tendon|sacroiliac joints|cervical spine|thoracic spine|lumbar spine|
connective tissue|fascia|pores|cuticles|tear ducts|vocal cords|diaphragm""".replace("\n", "").split("|")

TREATMENTS = """laser therapy|cold laser therapy|red light therapy|acupuncture|dry needling|
chiropractic care|spinal decompression|shockwave therapy|PRP injections|stem cell therapy|
regenerative medicine|physical therapy|massage therapy|deep tissue massage|cupping|IV vitamin therapy|
IV hydration|ozone therapy|hyperbaric oxygen therapy|cryotherapy|whole-body cryotherapy|
infrared sauna sessions|microneedling|chemical peels|Botox|dermal fillers|laser hair removal|
fat freezing|radiofrequency skin tightening|hormone replacement therapy|bioidentical hormones|
testosterone therapy|medical weight loss|nutritional counseling|functional medicine|naturopathy|
homeopathy|herbal medicine|ayurveda|reflexology|craniosacral therapy|myofascial release|kinesio taping|
custom orthotics|minimally invasive surgery|endoscopic spine surgery|laser spine surgery|
knee replacement|arthroscopic surgery|radiofrequency ablation|nerve blocks|trigger point injections|
prolotherapy|ketamine infusions|TMS therapy|neurofeedback|biofeedback|cognitive behavioral therapy|
sleep coaching|oral appliance therapy|dental implants|teeth whitening|clear aligners|LASIK|
vision therapy|hearing aids|colon hydrotherapy|detox programs|juice cleanses|intermittent fasting|
keto coaching|electrical stimulation|TENS therapy|ultrasound therapy|compression therapy|vein ablation|
sclerotherapy|pelvic floor therapy|vestibular rehabilitation|instrument-assisted soft tissue work|
spinal manipulation|traction therapy|halotherapy|float therapy|lymphatic drainage massage|
sound therapy|light box therapy|platelet-rich fibrin|hydrafacials|laser resurfacing""".replace("\n", "").split("|")

PRODUCT_PREFIXES = """Vita|Flex|Nutri|Pure|Opti|Thera|Zen|Revita|Neuro|Cardio|Derma|Gluco|Immuno|Bio|Prime|
Natura|Herba|Omni|Lumi|Restora|Calm|Dream|Joint|Keto|Slim|Body|Vital|Evo|Nova|Apex|Peak|True|Clear|
Bright|Essen|Daily|Ultra|Max|Pro|Core|Sun|Terra|Aqua|Cell|Gen|Mito|Lyte|Hydra|Sleepi|Mela|Collo|
Ortho|Spina|Arthro|Osteo|Myo|Fem|Andro|Pro-|Alpha|Omega|Zeno|Kali|Sana|Vigo|Flora""".replace("\n", "").split("|")

PRODUCT_SUFFIXES = """flex|max|plus|pro|pure|shield|boost|guard|fit|well|ease|rest|glow|zen|life|care|cell|
genix|vive|tone|lean|sleep|cor|relief|balance|sana|vita|gen|ryn|ora|ium|ix|ova|aid|mend|calm|clear|
form|lift|renew""".replace("\n", "").split("|")

PRODUCT_DESCRIPTORS = """Joint Complex|Advanced Formula|Night|Extra Strength|3000|Gold|Plus|Daily|Ultra|
Original|Max Strength|PM|AM|Women's Formula|Men's Formula|Kids|Senior|Rapid Release|Sleep Blend|
Gut Restore|Heart Health|Brain Boost|Skin Renewal|Hair Growth Formula|Immune Defense|Detox|
Metabolism Support|Vision Support|Prostate Health|Bone Builder""".replace("\n", "").split("|")

FORMS = """capsules|softgels|gummies|tablets|powder|drops|tincture|serum|cream|balm|roll-on|patch|
tea|shake|spray|lozenges|chews|oil|gel|lotion|device|wrap|insoles|mask""".replace("\n", "").split("|")

INGREDIENTS = """turmeric|curcumin|ashwagandha|collagen peptides|magnesium glycinate|vitamin D3|
vitamin K2|vitamin B12|zinc|elderberry|echinacea|melatonin|valerian root|L-theanine|glucosamine|
chondroitin|MSM|hyaluronic acid|biotin|saw palmetto|omega-3 fish oil|krill oil|CoQ10|resveratrol|
berberine|apple cider vinegar|green tea extract|garcinia cambogia|probiotics|prebiotic fiber|
psyllium husk|ginger root|boswellia|devil's claw|white willow bark|arnica|CBD|hemp extract|
lion's mane|reishi mushroom|cordyceps|chaga|rhodiola|maca root|tongkat ali|fenugreek|DIM|
black seed oil|milk thistle|dandelion root|activated charcoal|spirulina|chlorella|sea moss|
bone broth|quercetin|bromelain|NAC|alpha-lipoic acid|PQQ|NMN|creatine|beta-alanine|electrolytes|
potassium citrate|iron bisglycinate|folate|inositol|chasteberry|black cohosh|evening primrose oil|
lutein|zeaxanthin|bilberry|cranberry extract|D-mannose|aloe vera|manuka honey|tea tree oil|
peppermint oil|eucalyptus oil|capsaicin|menthol|niacinamide|retinol|vitamin C serum|squalane|
ceramides|bakuchiol""".replace("\n", "").split("|")

CLAIM_VERBS = [
    ("cures", "cure"),
    ("heals", "heal"),
    ("eliminates", "eliminate"),
    ("relieves", "relieve"),
    ("reduces", "reduce"),
    ("reverses", "reverse"),
    ("prevents", "prevent"),
    ("treats", "treat"),
    ("fixes", "fix"),
    ("restores", "restore"),
    ("boosts", "boost"),
    ("improves", "improve"),
    ("strengthens", "strengthen"),
    ("soothes", "soothe"),
    ("calms", "calm"),
    ("repairs", "repair"),
    ("alleviates", "alleviate"),
    ("eases", "ease"),
    ("ends", "end"),
    ("erases", "erase"),
    ("banishes", "banish"),
    ("clears", "clear"),
    ("stops", "stop"),
    ("rebuilds", "rebuild"),
    ("fights", "fight"),
    ("combats", "combat"),
    ("resolves", "resolve"),
    ("melts away", "melt away"),
    ("wipes out", "wipe out"),
    ("knocks out", "knock out"),
]

ADJECTIVES = """gentle|natural|non-invasive|advanced|innovative|revolutionary|proprietary|holistic|
drug-free|all-natural|cutting-edge|state-of-the-art|personalized|comprehensive|integrative|
evidence-based|doctor-formulated|plant-based|vegan|gluten-free|organic|fast-acting|long-lasting|
time-tested|award-winning|patented|exclusive|premium|pharmaceutical-grade|bioavailable|
whole-body|targeted|painless|minimally invasive|outpatient|same-day|affordable|trusted|
family-friendly|science-backed|small-batch|cold-pressed|lab-tested|hypoallergenic|fragrance-free|
dermatologist-approved|high-potency|slow-release|soothing|restorative|rejuvenating|calming|
energizing|balanced|clean|simple|modern|friendly|compassionate|experienced|caring|thorough""".replace("\n", "").split(
    "|"
)

COMPARATORS = """open surgery|steroid injections|prescription painkillers|over-the-counter pills|
physical therapy alone|traditional surgery|generic brands|store-bought creams|cortisone shots|
NSAIDs|other clinics|leading brands|placebo|standard care|conventional treatment|
ordinary multivitamins|sleeping pills|antidepressants|antacids|fad diets|gym memberships|
expensive creams|competing devices|older lasers|chiropractic alone|rest and ice""".replace("\n", "").split("|")

BENEFITS = """healthy joints|restful sleep|normal cholesterol levels|a healthy immune system|
healthy digestion|radiant skin|healthy blood sugar levels|calm and focus|joint comfort|
a healthy inflammatory response|normal blood pressure|strong bones|healthy hair growth|
a balanced mood|steady energy|healthy circulation|regularity|a healthy gut microbiome|
mental clarity|muscle recovery|healthy weight management|prostate health|urinary tract health|
healthy vision|cardiovascular health|liver function|hormonal balance|healthy aging|
lean muscle|a youthful complexion""".replace("\n", "").split("|")

STAFF = [
    ("chiropractor", "chiropractors"),
    ("physical therapist", "physical therapists"),
    ("acupuncturist", "acupuncturists"),
    ("nurse practitioner", "nurse practitioners"),
    ("physician assistant", "physician assistants"),
    ("dermatologist", "dermatologists"),
    ("podiatrist", "podiatrists"),
    ("orthopedic surgeon", "orthopedic surgeons"),
    ("naturopathic doctor", "naturopathic doctors"),
    ("massage therapist", "massage therapists"),
    ("dietitian", "dietitians"),
    ("sleep specialist", "sleep specialists"),
    ("pain specialist", "pain specialists"),
    ("audiologist", "audiologists"),
    ("dentist", "dentists"),
    ("optometrist", "optometrists"),
    ("health coach", "health coaches"),
    ("nurse", "nurses"),
    ("esthetician", "estheticians"),
    ("pharmacist", "pharmacists"),
]

MECHANISMS = [
    "applies gentle pressure to the {part}",
    "uses a handheld device to deliver light to the {part}",
    "places thin needles along the {part}",
    "stretches the {part} in a slow, controlled motion",
    "applies a cool gel before moving the wand over the {part}",
    "measures the range of motion in your {part}",
    "maps tender points around the {part}",
    "warms the tissue around the {part} with infrared light",
    "draws a small amount of blood and spins it in a centrifuge",
    "guides you through breathing exercises",
    "adjusts the table to support your {part}",
    "applies suction cups along the {part}",
    "tapes the {part} with elastic strips",
    "records skin temperature at several points on the {part}",
    "delivers short acoustic pulses to the {part}",
]

CITIES = """Austin|Boise|Denver|Tucson|Phoenix|Scottsdale|Mesa|Tempe|Albuquerque|Santa Fe|El Paso|
San Antonio|Houston|Dallas|Fort Worth|Plano|Frisco|Round Rock|Oklahoma City|Tulsa|Wichita|Omaha|
Lincoln|Des Moines|Cedar Rapids|Madison|Milwaukee|Green Bay|Minneapolis|St. Paul|Duluth|Fargo|
Sioux Falls|Rapid City|Billings|Missoula|Bozeman|Spokane|Seattle|Tacoma|Bellevue|Portland|Eugene|
Salem|Bend|Sacramento|Fresno|Bakersfield|San Diego|Irvine|Pasadena|Long Beach|Santa Monica|
San Jose|Oakland|Berkeley|Santa Rosa|Reno|Las Vegas|Henderson|Salt Lake City|Provo|Ogden|Cheyenne|
Boulder|Fort Collins|Colorado Springs|Kansas City|St. Louis|Springfield|Columbia|Little Rock|
Memphis|Nashville|Knoxville|Chattanooga|Louisville|Lexington|Cincinnati|Columbus|Cleveland|Dayton|
Toledo|Akron|Detroit|Ann Arbor|Grand Rapids|Lansing|Indianapolis|Fort Wayne|Chicago|Naperville|
Evanston|Peoria|Rockford|Pittsburgh|Philadelphia|Allentown|Harrisburg|Buffalo|Rochester|Syracuse|
Albany|Brooklyn|Queens|Hoboken|Newark|Princeton|Trenton|Wilmington|Baltimore|Annapolis|Richmond|
Norfolk|Arlington|Alexandria|Raleigh|Durham|Charlotte|Asheville|Greensboro|Charleston|Columbia|
Savannah|Atlanta|Athens|Macon|Jacksonville|Orlando|Tampa|St. Petersburg|Sarasota|Naples|
Fort Lauderdale|Miami|Boca Raton|Tallahassee|Pensacola|Mobile|Birmingham|Huntsville|Jackson|
New Orleans|Baton Rouge|Shreveport|Boston|Cambridge|Worcester|Providence|Hartford|New Haven|
Stamford|Burlington|Portland|Manchester|Anchorage|Honolulu|Toronto|Vancouver|Calgary|Ottawa|
Halifax|Winnipeg|London|Manchester|Leeds|Bristol|Dublin|Cork|Sydney|Melbourne|Brisbane|Perth|
Auckland|Wellington""".replace("\n", "").split("|")

STATES = """Texas|Arizona|Colorado|California|Florida|Georgia|Ohio|Michigan|Illinois|Minnesota|
Washington|Oregon|Nevada|Utah|Tennessee|Kentucky|North Carolina|South Carolina|Virginia|Maryland|
Pennsylvania|New York|New Jersey|Massachusetts|Connecticut|Wisconsin|Iowa|Missouri|Kansas|
Oklahoma|Louisiana|Alabama|Idaho|Montana|New Mexico|Indiana""".replace("\n", "").split("|")

FIRST_NAMES = """James|Mary|Robert|Patricia|John|Jennifer|Michael|Linda|David|Elizabeth|William|
Barbara|Richard|Susan|Joseph|Jessica|Thomas|Sarah|Christopher|Karen|Charles|Lisa|Daniel|Nancy|
Matthew|Betty|Anthony|Sandra|Mark|Margaret|Donald|Ashley|Steven|Kimberly|Andrew|Emily|Paul|Donna|
Joshua|Michelle|Kenneth|Carol|Kevin|Amanda|Brian|Melissa|George|Deborah|Timothy|Stephanie|Ronald|
Rebecca|Jason|Sharon|Edward|Laura|Jeffrey|Cynthia|Ryan|Dorothy|Jacob|Amy|Gary|Kathleen|Nicholas|
Angela|Eric|Shirley|Jonathan|Brenda|Stephen|Emma|Larry|Anna|Justin|Pamela|Scott|Nicole|Brandon|
Samantha|Benjamin|Katherine|Samuel|Christine|Gregory|Helen|Alexander|Debra|Patrick|Rachel|Frank|
Carolyn|Raymond|Janet|Jack|Maria|Dennis|Catherine|Jerry|Heather|Tyler|Diane|Aaron|Olivia|Jose|
Julie|Adam|Joyce|Nathan|Victoria|Henry|Ruth|Zachary|Virginia|Douglas|Lauren|Peter|Kelly|Kyle|
Christina|Noah|Joan|Ethan|Evelyn|Jeremy|Judith|Walter|Andrea|Christian|Hannah|Keith|Megan|Roger|
Cheryl|Terry|Jacqueline|Austin|Martha|Sean|Madison|Gerald|Teresa|Carl|Gloria|Harold|Sara|Dylan|
Janice|Arthur|Ann|Lawrence|Kathryn|Jordan|Abigail|Jesse|Sophia|Bryan|Frances|Billy|Jean|Bruce|
Alice|Gabriel|Judy|Logan|Isabella|Priya|Wei|Mei|Hiroshi|Yuki|Ahmed|Fatima|Omar|Aisha|Carlos|Lucia|
Diego|Sofia|Mateo|Valentina|Raj|Anjali|Kwame|Ama|Ivan|Olga|Lars|Ingrid|Siobhan|Declan""".replace("\n", "").split("|")

LAST_NAMES = """Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|
Lopez|Gonzalez|Wilson|Anderson|Thomas|Taylor|Moore|Jackson|Martin|Lee|Perez|Thompson|White|Harris|
Sanchez|Clark|Ramirez|Lewis|Robinson|Walker|Young|Allen|King|Wright|Scott|Torres|Nguyen|Hill|Flores|
Green|Adams|Nelson|Baker|Hall|Rivera|Campbell|Mitchell|Carter|Roberts|Gomez|Phillips|Evans|Turner|
Diaz|Parker|Cruz|Edwards|Collins|Reyes|Stewart|Morris|Morales|Murphy|Cook|Rogers|Gutierrez|Ortiz|
Morgan|Cooper|Peterson|Bailey|Reed|Kelly|Howard|Ramos|Kim|Cox|Ward|Richardson|Watson|Brooks|Chavez|
Wood|James|Bennett|Gray|Mendoza|Ruiz|Hughes|Price|Alvarez|Castillo|Sanders|Patel|Myers|Long|Ross|
Foster|Jimenez|Powell|Jenkins|Perry|Russell|Sullivan|Bell|Coleman|Butler|Henderson|Barnes|Gonzales|
Fisher|Vasquez|Simmons|Romero|Jordan|Patterson|Alexander|Hamilton|Graham|Reynolds|Griffin|Wallace|
Moreno|West|Cole|Hayes|Bryant|Herrera|Gibson|Ellis|Tran|Medina|Aguilar|Stevens|Murray|Ford|Castro|
Marshall|Owens|Harrison|Fernandez|McDonald|Woods|Washington|Kennedy|Wells|Vargas|Henry|Chen|Freeman|
Webb|Tucker|Guzman|Burns|Crawford|Olson|Simpson|Porter|Hunter|Gordon|Mendez|Silva|Shaw|Snyder|Mason|
Dixon|Munoz|Hunt|Hicks|Holmes|Palmer|Wagner|Black|Robertson|Boyd|Rose|Stone|Salazar|Fox|Warren|
Mills|Meyer|Rice|Schmidt|Garza|Daniels|Ferguson|Nichols|Stephens|Soto|Weaver|Ryan|Gardner|Payne|
Grant|Dunn|Kapoor|Okafor|Nakamura|Tanaka|Yamamoto|Haddad|Khan|Singh|Iyer|Novak|Kowalski|Larsen|
O'Brien|Fitzgerald|Lindqvist|Moretti|Rossi|Dubois|Lefebvre|Schneider|Becker|Costa|Oliveira""".replace("\n", "").split(
    "|"
)

CLINIC_WORDS = """Spine Center|Pain Institute|Wellness Clinic|Chiropractic|Physical Therapy|
Foot and Ankle Specialists|Sleep Center|Dermatology|Med Spa|Vein Center|Regenerative Medicine|
Integrative Health|Family Acupuncture|Laser Clinic|Hormone Clinic|Weight Loss Center|
Functional Medicine|Sports Medicine|Dental Studio|Hearing Center|Eye Associates|Naturopathic Clinic|
Headache Center|Joint Institute|Longevity Clinic|Vitality Center|Healing Arts|Recovery Lab""".replace("\n", "").split(
    "|"
)

PLACE_PREFIXES = """Riverside|Summit|Lakeside|Northside|Eastgate|Westview|Cedar Ridge|Maple Grove|
Harbor|Canyon|Mountain View|Pinecrest|Oak Park|Willow Creek|Sunrise|Bayview|Golden Valley|Stonebridge|
Meadowbrook|Silver Lake|Blue Ridge|Red Rock|Highland|Parkside|Crossroads|Heritage|Evergreen""".replace("\n", "").split(
    "|"
)

JOURNALS = """Journal of Pain Research|Clinical Rehabilitation|Journal of Alternative and Complementary Medicine|
Nutrients|Journal of Dietary Supplements|Pain Medicine|Spine|Journal of Orthopaedic Research|
Journal of Cosmetic Dermatology|Sleep Medicine|Phytotherapy Research|Complementary Therapies in Medicine|
BMC Musculoskeletal Disorders|Journal of Manipulative and Physiological Therapeutics|
Lasers in Surgery and Medicine|Foot and Ankle International|Journal of Clinical Medicine|
Evidence-Based Complementary and Alternative Medicine|Frontiers in Nutrition|
Journal of the American Podiatric Medical Association|
Archives of Dermatological Research|Integrative Medicine|Journal of Sports Science and Medicine|
Headache|Menopause|Journal of Sexual Medicine|Gut Microbes|Obesity Reviews""".replace("\n", "").split("|")

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
STREETS = [
    "Main Street",
    "Oak Avenue",
    "Elm Street",
    "Broadway",
    "Park Avenue",
    "Market Street",
    "Washington Boulevard",
    "Lincoln Way",
    "2nd Street",
    "5th Avenue",
    "Cedar Lane",
    "Highland Drive",
    "Lake Shore Drive",
    "Mill Road",
    "Church Street",
    "Commerce Parkway",
]
DURATIONS = [
    "2 weeks",
    "10 days",
    "30 days",
    "one month",
    "6 weeks",
    "90 days",
    "48 hours",
    "7 days",
    "3 weeks",
    "two months",
    "24 hours",
    "a single afternoon",
    "12 weeks",
    "60 days",
]
SESSIONS = [
    "3 sessions",
    "one visit",
    "2 treatments",
    "5 sessions",
    "a single session",
    "6 visits",
    "4 treatments",
    "8 sessions",
    "one appointment",
    "10 sessions",
]
HOURS = [
    "8 a.m. to 6 p.m.",
    "9 a.m. to 5 p.m.",
    "7:30 a.m. to 7 p.m.",
    "10 a.m. to 4 p.m.",
    "8 a.m. to noon",
    "noon to 8 p.m.",
]
PRICES = [
    "$19.99",
    "$24.95",
    "$29",
    "$39.99",
    "$49",
    "$49.99",
    "$59.95",
    "$75",
    "$99",
    "$129",
    "$149",
    "$199",
    "$35",
    "$45",
    "$69.99",
    "$89",
]
ROUND_COUNTS = [
    500,
    750,
    1000,
    1200,
    1500,
    2000,
    2500,
    3000,
    4000,
    5000,
    7500,
    10000,
    12000,
    15000,
    20000,
    25000,
    30000,
    40000,
    50000,
    75000,
    100000,
    150000,
    250000,
    500000,
]

# --------------------------------------------------------------------------
# Sentence templates, by category.  {slot} names are filled by Doc.slot();
# a trailing digit ({cond2}, {fn2}) draws the same kind again, preferring a new value.
#   f* slots are filler words from the spaCy lemma lookup table:
#   fn plural noun, fed past participle, fer comparative, fest superlative,
#   fing gerund, fv 3rd-person verb, fw any of them.
# --------------------------------------------------------------------------

TEMPLATES = {
    "efficacy": [
        "Our {treat} {verb} {cond}.",
        "{Prod} {verb} {cond} naturally.",
        "{Clinic} {verb} {cond} without drugs or surgery.",
        "Say goodbye to {cond} with {treat}.",
        "Find lasting relief from {cond} at {clinic}.",
        "Get rid of {cond} for good with our {adj} {treat} program.",
        "{Treat} is an effective treatment for {cond} and {cond2}.",
        "With {prod}, you can finally enjoy life without {cond}.",
        "This formula {verb} {cond} and supports healthy {part}.",
        "{Prod} supports {benefit} and {benefit2}.",
        "Our {adj} approach targets the root cause of {cond}, not just the symptoms.",
        "Patients leave our {city} office pain-free, even after years of {fing}.",
        "{Treat} restores mobility to stiff {part} and {verb} {cond}.",
        "Our {staffs} use {treat} to heal {cond} at the source.",
        "The {ingr} in {prod} {verb} {cond} while you sleep.",
        "It works for {cond}, {cond2} and even {fed} {fn}.",
        "{Prod} promotes {benefit} so you can get back to {fing}.",
        "Our {adj} {form} {verb} {cond} and helps you feel like yourself again.",
        "{Treat} at {clinic} {verb} {cond} in the {part} and surrounding {fn}.",
    ],
    "hedged": [
        "{Treat} may help reduce {cond} in some patients.",
        "Some patients report less {cond} after a few sessions of {treat}.",
        "Studies suggest that {ingr} might support healthy {part}.",
        "{Prod} is believed to ease {cond}, although individual results may vary.",
        "Practitioners believe {treat} can help the body recover from {cond}.",
        "Many people find that {treat} could be a useful addition to their {fing} routine.",
        "It is thought that {ingr} may {verbb} {cond} when combined with {treat}.",
        "According to tradition, {ingr} was used to calm {cond} and {fer} {fn}.",
        "{Treat} can help some people manage {cond}, but it is not right for everyone.",
        "Potentially, {treat} might shorten recovery from {cond}.",
        "Proponents claim that {ingr} could {verbb} {cond}, though the evidence is {fer} than many hope.",
        "Early data hint that {treat} may benefit people whose {part} took a beating from {fn}.",
        "Some people say {prod} might make {cond} easier to live with.",
    ],
    "negation": [
        "{Treat} does not cure {cond}.",
        "There is no evidence that {prod} {verb} {cond}.",
        "We never promise that {treat} will eliminate {cond}.",
        "{Prod} is not a miracle cure, and it won't reverse {cond} overnight.",
        "Nothing on this page should be read as a promise to cure {cond}.",
        "No supplement can replace a balanced diet, regular exercise and {fing}.",
        "Our {staffs} will not recommend {treat} if it is not a good fit for your {part}.",
        "{Ingr} has not been shown to prevent {cond} in large trials.",
        "None of our {form} are meant to replace treatment for {cond}.",
    ],
    "question": [
        "Can {treat} help with {cond}?",
        "Does {prod} really work for {cond}?",
        "Is {treat} safe for people with {cond}?",
        "How many sessions of {treat} will I need?",
        "What causes {cond} in the {part}?",
        "Are you tired of living with {cond}?",
        "If your {cond} persists for more than {k} weeks, see a doctor.",
        "Whether {treat} works for you depends on many factors, including {fn} and {fn2}.",
        "Wondering if {ingr} is right for you?",
        "Why do so many {fn} struggle with {cond}?",
        "Could {cond} be the reason you feel {fed} after {fing}?",
        "What should I expect after my first {treat} appointment?",
        "Is it normal to feel sore after {treat}?",
    ],
    "quantified": [
        "Over {n} patients treated since {year}.",
        "Our {treat} has helped {n} people find relief from {cond}.",
        "{Pct} of patients reported less {cond} after just {sessions}.",
        "{K} out of 10 customers say {prod} improved their {part}.",
        "See results in as little as {dur}.",
        "{Prod} cuts {cond} by {pct} in {dur}.",
        "More than {n} bottles of {prod} sold in {city} alone.",
        "Lose up to {k} pounds in {dur} with our {adj} plan.",
        "Our clinic boasts a {pct} success rate for {cond}.",
        "Over {n} smiles restored and counting.",
        "In a survey of {n} customers, {pct} noticed {fer} {part} within {dur}.",
        "Most patients need only {sessions} to feel a difference.",
    ],
    "comparative": [
        "{Treat} offers faster recovery than {comp}.",
        "{Prod} is more effective than {comp} for {cond}.",
        "We are the #1 rated {treat} provider in {city}.",
        "The best {form} for {cond} on the market.",
        "Our {adj} technique is superior to {comp}.",
        "{Treat} outperforms {comp} with a lower risk of complications.",
        "Enjoy a {fer} recovery and {fer2} results compared to {comp}.",
        "It's the {fest} way to tackle {cond}, say our {staffs}.",
        "{Clinic} is the most trusted name in {treat} across {state}.",
        "Unlike {comp}, {prod} works with your body.",
    ],
    "absolute": [
        "Guaranteed results or your money back.",
        "{Prod} provides permanent relief from {cond}.",
        "100% natural, 100% safe, with no side effects.",
        "Experience instant relief with our {adj} {treat}.",
        "This breakthrough formula works for everyone.",
        "Risk-free trial: try {prod} for {k}0 days.",
        "A miracle for anyone who has tried everything for {cond}.",
        "Completely safe for the whole family, including {fn}.",
        "Side-effect free and gentle enough for daily use.",
        "The permanent cure for {cond} is finally here.",
    ],
    "establishment": [
        "{Prod} is clinically proven to {verbb} {cond}.",
        "Studies show that {ingr} supports healthy {part}.",
        "Doctor recommended and backed by science.",
        "Our {treat} device is FDA cleared for {cond}.",
        "Research proves that {treat} {verb} {cond}.",
        "Dermatologist recommended for sensitive {part}.",
        "Clinically tested in a {k}-week trial published in {journal}.",
        "Scientifically proven {ingr} blend, trusted by {staffs} in {city}.",
        "Recommended by {staffs} and featured in {journal}.",
    ],
    "refutation": [
        "Myth: {treat} cures {cond}.",
        "The claim that {ingr} cures {cond} is false.",
        "Beware of products that promise to cure {cond} overnight.",
        "Be skeptical of any {form} that claims to reverse {cond} in {dur}.",
        "You may have read that {ingr} eliminates {cond}; that claim is not supported.",
    ],
    "disclaimer": [
        "Consult your physician before starting any new supplement.",
        "Talk to your doctor if you are pregnant, nursing or taking medication.",
        "Individual results may vary.",
        "Results are not typical and depend on {fn}, {fn2} and overall health.",
        "This content is for informational purposes only and is not medical advice.",
        "Speak with your healthcare provider before beginning {treat}.",
        "These statements have not been evaluated by the Food and Drug Administration.",
        "Ask your pharmacist about interactions with {ingr}.",
        "Testimonials reflect individual experiences and are not a guarantee of results.",
        "Check with your doctor before using {prod} if you have {cond}.",
    ],
    "education": [
        "Millions of adults live with {cond} every year.",
        "Back pain affects {pct} of adults at some point in their lives.",
        "{Cond} can cause nerve compression and {fed} {part}.",
        "Tissue around the {part} can be irritated by {fn}, {fn2} and long hours of {fing}.",
        "Common causes of {cond} include poor posture, {fing} and repetitive strain.",
        "During {treat}, a {staff} {mech}.",
        "The procedure involves inserting thin needles into specific points on the {part}.",
        "Symptoms of {cond} often appear gradually and may worsen with {fing}.",
        "{Ingr} is found naturally in {fn} and {fn2}.",
        "Risk factors for {cond} include age, genetics and {fn}.",
        "Many people confuse {cond} with {cond2}, but the two conditions differ.",
        "In {year}, researchers in {city} began studying {ingr}.",
        "Staying active, sleeping well and managing {fn} all play a role in the health of your {part}.",
        "Like {fn}, {fn2} can be {fed} by repeated {fing}.",
        "{Cond} is more common in people over {k}0, especially those who spend hours {fing}.",
        "A {staff} usually starts by asking about your history of {cond}.",
        "It takes weeks, not days, for the {part} to adapt to {fing}.",
        "Researchers still debate why {cond} develops in some people and not in others.",
        "{Fing} and {fing2} both place stress on the {part}.",
    ],
    "mechanism": [
        "Needles stimulate nerves in the {part}.",
        "{Treat} delivers {adj} energy to the {part}.",
        "{Ingr} is absorbed in the small intestine.",
        "The device emits light at a wavelength of {k}0 nanometers.",
        "Each session lasts about {k}0 minutes.",
        "The {form} dissolve quickly and are easy to swallow.",
        "{Treat} increases blood flow to the {part} for a short time.",
    ],
    "business": [
        "Open 7 days a week.",
        "Open {day} through {day2}, {hours}.",
        "{Clinic} has served {city} for over {k} years.",
        "We now have over {k}0 locations across {state}.",
        "Accepting new patients at our {city} and {city2} offices.",
        "Call {phone} to book your free consultation.",
        "Most major insurance plans accepted.",
        "Free parking is available behind the {fed} building on {street}.",
        "{Doc} has {k} years of experience in {treat}.",
        "Our team includes {k} board-certified {staffs}.",
        "Same-day appointments are available on {day}s.",
        "Order today and get free shipping on orders over {price}.",
        "Each bottle contains {k}0 servings and costs {price}.",
        "Founded in {year} by {doc}, {clinic} started as a small practice above a shop selling {fn}.",
        "Our {city} office is located at {k}{k2}0 {street}.",
        "Gift cards are available at the front desk.",
        "We offer flexible payment plans starting at {price} per month.",
        "Follow us for updates on {fn}, {fing} and upcoming events.",
    ],
    "instruction": [
        "Take two capsules daily with a meal.",
        "Apply a thin layer to clean, dry {part} twice a day.",
        "Mix one scoop with {k} ounces of water or {fn}.",
        "Wear comfortable clothing to your first {treat} appointment.",
        "Arrive {k}0 minutes early to complete your intake forms.",
        "Store in a cool, dry place away from {fn}.",
        "Do not exceed the recommended serving.",
        "Drink plenty of water after your {treat} session.",
        "Stretch your {part} gently for {k} minutes each morning.",
        "Bring a list of current medications and any recent {fn}.",
        "Avoid {fing} for {k}{k2} hours after treatment.",
        "Keep out of reach of children and pets.",
    ],
    "testimonial": [
        '"After {sessions} my {cond} was gone," says {person} from {city}.',
        '"I tried everything for my {cond} before finding {clinic}," writes {person}.',
        '"{Prod} changed my life," says {person}, a {fing} instructor from {city}.',
        "{Person} had suffered from {cond} for {k} years before trying {treat}.",
        '"The staff were kind and the {fn} in the waiting room were {fed}," says {person}.',
        '"I was skeptical, but now I wake up without {cond}," says {person} of {city}.',
    ],
    "filler": [
        "Other topics our readers ask about include {fn}, {fn2} and {fn3}.",
        "Related reading: {fing}, {fn} and the {fest} {fn2} we have seen this year.",
        "Some visitors mention {fed} {fn} or {fer} {fn2} during their first visit.",
        "We also get questions about {fn}, {fing} and {fed} {fn2}.",
        "Our newsletter covers {fn}, {fn2}, {fing} and more.",
        "Keep in mind that {fn} and {fn2} can affect your {part}.",
        "{Doc} often compares {cond} to {fed} {fn}.",
        "Whether you enjoy {fing}, {fing2} or simply {fing3}, caring for your {part} pays off.",
        "This month's staff picks: {fn}, {fed} {fn2} and a {fer} take on {fing}.",
        "Our lobby now displays {fn} collected by {person}.",
        'The word of the week is "{fw}", suggested by {person}.',
    ],
}

FOOTNOTE_CATEGORIES = {"quantified", "establishment", "absolute", "comparative", "efficacy", "testimonial"}

HEADINGS = {
    "intro": [
        "Why Choose {Clinic}",
        "Welcome to {Clinic}",
        "Meet {Prod}",
        "Our Approach to {Cond}",
        "A {Adj} Answer to {Cond}",
        "Relief for {Cond} in {City}",
    ],
    "how": [
        "How {Treat} Works",
        "What to Expect at Your First Visit",
        "The Science Behind {Prod}",
        "How to Use {Prod}",
        "Inside a {Treat} Session",
        "What Happens During {Treat}",
    ],
    "benefits": [
        "Benefits of {Treat}",
        "Why Patients Love {Prod}",
        "Conditions We Treat",
        "Key Benefits",
        "What {Prod} Can Do for Your {Part}",
    ],
    "faq": ["Frequently Asked Questions", "FAQ", "Your Questions About {Treat}", "Common Questions"],
    "testimonials": ["Patient Stories", "What Our Customers Say", "Reviews", "Real Results from {City}"],
    "education": [
        "What Is {Cond}?",
        "Common Causes of {Cond}",
        "Living With {Cond}",
        "{K} Tips for Healthier {Part}",
        "Understanding {Cond}",
        "{Cond} and Your {Part}",
    ],
    "business": [
        "Locations",
        "Contact Us",
        "Insurance and Pricing",
        "Meet Our Team",
        "About {Doc}",
        "Hours and Directions",
        "Shipping and Returns",
    ],
    "instructions": ["Directions", "Before Your Appointment", "Aftercare", "Suggested Use", "How to Prepare"],
    "research": ["Research and Evidence", "What the Studies Say", "Clinical Background", "The Evidence on {Ingr}"],
    "myths": ["Myths About {Treat}", "Separating Fact From Fiction", "Claims to Be Wary Of"],
    "topics": [
        "Notes on {Fn} and {Fn2}",
        "{Fing} and {Fn}: What to Know",
        "From the Front Desk",
        "Odds and Ends",
        "Reader Mailbag",
    ],
}

SECTION_MIX = {
    "intro": {
        "efficacy": 3,
        "hedged": 2,
        "quantified": 1,
        "comparative": 1,
        "absolute": 1,
        "establishment": 1,
        "education": 2,
        "filler": 1,
        "business": 1,
    },
    "how": {"education": 4, "mechanism": 3, "hedged": 1, "instruction": 1, "filler": 2, "efficacy": 1},
    "benefits": {"efficacy": 3, "hedged": 2, "comparative": 2, "absolute": 1, "quantified": 2, "establishment": 1},
    "faq": {"hedged": 3, "education": 3, "negation": 2, "instruction": 2, "business": 1, "disclaimer": 1},
    "testimonials": {"testimonial": 4, "quantified": 1, "disclaimer": 1},
    "education": {"education": 5, "hedged": 2, "negation": 1, "refutation": 1, "filler": 2, "question": 1},
    "business": {"business": 5, "instruction": 1, "filler": 1},
    "instructions": {"instruction": 5, "disclaimer": 1, "mechanism": 1},
    "research": {"establishment": 3, "hedged": 2, "quantified": 2, "negation": 1, "refutation": 1, "education": 1},
    "myths": {"refutation": 3, "negation": 2, "education": 2, "hedged": 1, "question": 1},
    "topics": {"filler": 5, "education": 2, "business": 1},
}

DOC_KINDS = {
    # kind: (directory, first sections, weighted pool of further sections)
    "service": (
        "services",
        ["intro", "how"],
        {
            "benefits": 3,
            "faq": 2,
            "testimonials": 2,
            "education": 2,
            "business": 2,
            "instructions": 1,
            "research": 1,
            "myths": 1,
            "topics": 1,
        },
    ),
    "product": (
        "products",
        ["intro", "benefits"],
        {
            "how": 2,
            "instructions": 2,
            "testimonials": 2,
            "research": 2,
            "faq": 2,
            "business": 1,
            "benefits": 1,
            "topics": 1,
        },
    ),
    "blog": (
        "blog",
        ["education"],
        {"education": 4, "myths": 2, "research": 2, "topics": 2, "faq": 1, "how": 1, "benefits": 1},
    ),
    "faq": ("faq", ["faq"], {"faq": 5, "business": 1, "education": 1, "topics": 1}),
    "news": ("news", ["intro"], {"business": 3, "research": 2, "testimonials": 1, "topics": 2, "education": 1}),
    "reviews": ("reviews", ["testimonials"], {"testimonials": 4, "benefits": 1, "business": 1, "faq": 1}),
}

SITE_KIND_DOCS = {
    "clinic": {"service": 5, "blog": 3, "faq": 2, "news": 1, "reviews": 1},
    "brand": {"product": 6, "blog": 2, "faq": 2, "reviews": 2, "news": 1},
    "publisher": {"blog": 8, "faq": 1, "news": 2, "product": 1},
}

SMALL_WORDS = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "to",
    "in",
    "for",
    "with",
    "on",
    "at",
    "by",
    "from",
    "vs",
    "your",
    "our",
}
WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")
SLOT_RE = re.compile(r"\{([A-Za-z]+)(\d*)\}")


# --------------------------------------------------------------------------
# Filler words from spaCy's English lemma lookup table
# --------------------------------------------------------------------------


def find_lookup_file(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or not spec.submodule_search_locations:
        sys.exit(
            "make_corpus: spacy_lookups_data is not installed here; run with the project venv "
            "(/work/venv/bin/python) or pass --lookup PATH/en_lemma_lookup.json[.gz]"
        )
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    for name in ("en_lemma_lookup.json", "en_lemma_lookup.json.gz"):
        if (data / name).is_file():
            return data / name
    sys.exit(f"make_corpus: no en_lemma_lookup.json[.gz] in {data}")


def load_lookup(path: Path) -> dict:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf8") as fh:
        return json.load(fh)


def filler_classes(table: dict) -> dict[str, list[str]]:
    """Split the lookup keys into rough word classes by their inflection."""
    keys = sorted(k for k in table if k.isascii() and k.isalpha() and k.islower() and 4 <= len(k) <= 14)
    verb_lemmas = {table[k] for k in keys if k.endswith(("ing", "ed"))}
    classes = {"fn": [], "fv": [], "fed": [], "fing": [], "fer": [], "fest": []}
    for k in keys:
        lemma = table[k]
        if k.endswith("ing"):
            classes["fing"].append(k)
        elif k.endswith("ed"):
            classes["fed"].append(k)
        elif k.endswith("est") and lemma != k:
            classes["fest"].append(k)
        elif k.endswith("er") and lemma != k and lemma not in verb_lemmas:
            classes["fer"].append(k)
        elif lemma in verb_lemmas:
            if k.endswith("s"):
                classes["fv"].append(k)
            # irregular past forms ("became") are dropped
        else:
            classes["fn"].append(k)  # plural nouns, incl. irregular ones ("vertebrae")
    return classes


class Pool:
    """Weighted sampler: a Zipf-like head over a seeded shuffle, mixed with uniform picks."""

    def __init__(self, words: list[str], rng: random.Random, s: float, uniform: float):
        self.words = list(words)
        rng.shuffle(self.words)
        total = 0.0
        self.cum = []
        for i in range(len(self.words)):
            total += 1.0 / (i + 2.0) ** s
            self.cum.append(total)
        self.total = total
        self.uniform = uniform
        self.n = len(self.words)

    def pick(self, rng: random.Random) -> str:
        if rng.random() < self.uniform:
            return self.words[int(rng.random() * self.n)]
        return self.words[bisect.bisect_left(self.cum, rng.random() * self.total)]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def title_case(s: str) -> str:
    out = []
    for i, w in enumerate(s.split(" ")):
        if any(c.isupper() for c in w) or (i and w in SMALL_WORDS):
            out.append(w)
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def slugify(s: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return slug[:60].rstrip("-") or "page"


def fmt_count(n: int) -> str:
    return f"{n:,}"


def compile_template(t: str):
    parts, pos = [], 0
    for m in SLOT_RE.finditer(t):
        parts.append(t[pos : m.start()])
        name, digits = m.group(1), m.group(2)
        parts.append((name.lower(), name[0].isupper(), bool(digits)))
        pos = m.end()
    parts.append(t[pos:])
    return parts  # literal, slot, literal, slot, ..., literal


COMPILED = {cat: [compile_template(t) for t in ts] for cat, ts in TEMPLATES.items()}
COMPILED_HEADINGS = {k: [compile_template(t) for t in ts] for k, ts in HEADINGS.items()}


class Site:
    def __init__(self, rng: random.Random, kind: str, used_slugs: set):
        self.kind = kind
        self.city = rng.choice(CITIES)
        self.state = rng.choice(STATES)
        self.doctor = f"Dr. {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        self.phone = f"({rng.randint(200, 989)}) {rng.randint(200, 989)}-{rng.randint(0, 9999):04d}"
        self.conditions = rng.sample(CONDITIONS, 6)
        self.treatments = rng.sample(TREATMENTS, 4)
        self.products = [make_product(rng) for _ in range(rng.randint(1, 5))]
        if kind == "clinic":
            self.name = f"{rng.choice([*PLACE_PREFIXES, self.city])} {rng.choice(CLINIC_WORDS)}"
        elif kind == "brand":
            self.name = self.products[0][0].split(" ")[0] + rng.choice(
                [" Labs", " Naturals", " Health", " Wellness", " Nutrition", ""]
            )
        else:
            self.name = (
                rng.choice(["The", "Better", "Everyday", "Modern", "Honest", "Whole", "Bright"])
                + " "
                + rng.choice(["Wellness", "Health", "Body", "Living", "Remedies", "Balance"])
                + " "
                + rng.choice(["Journal", "Blog", "Digest", "Review", "Weekly", "Notes"])
            )
        base = slugify(self.name)
        slug, i = base, 2
        while slug in used_slugs:
            slug, i = f"{base}-{i}", i + 1
        used_slugs.add(slug)
        self.slug = slug
        self.domain = "www." + slug.replace("-", "") + rng.choice([".com", ".com", ".net", ".health", ".co"])
        self.used_names: dict[str, set] = {}


def make_product(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(PRODUCT_PREFIXES) + rng.choice(PRODUCT_SUFFIXES)
    name = name.replace("--", "-")
    if rng.random() < 0.6:
        name += " " + rng.choice(PRODUCT_DESCRIPTORS)
    return name, rng.choice(FORMS)


# --------------------------------------------------------------------------
# Document generation
# --------------------------------------------------------------------------

FOOTNOTE_STYLES = {
    "symbols": ["*", "†", "‡", "§", "**", "¶", "††"],
    "brackets": [f"[{i}]" for i in range(1, 30)],
    "super": ["¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"],
    "caret": ["^", "^^", "^^^"],
    "mdnote": [f"[^{i}]" for i in range(1, 30)],
}


class Doc:
    def __init__(self, rng: random.Random, site: Site, pools: dict, ext: str, kind: str):
        self.rng = rng
        self.site = site
        self.pools = pools
        self.md = ext == ".md"
        self.kind = kind
        self.cond = rng.choice(site.conditions)
        self.treat = rng.choice(site.treatments)
        self.prod, self.form = rng.choice(site.products)
        self.ingr = rng.sample(INGREDIENTS, 3)
        self.lines: list[str] = []
        self.words = 0
        style_choices = ["symbols", "brackets", "super", "caret", None, None]
        if self.md:
            style_choices += ["mdnote", "mdnote"]
        self.fn_style = rng.choice(style_choices)
        self.fn_rate = rng.choice([0.02, 0.05, 0.1])
        self.notes: list[tuple[str, str]] = []  # (marker, footnote text)
        self.is_supplement = kind == "product" and self.form in {
            "capsules",
            "softgels",
            "gummies",
            "tablets",
            "powder",
            "chews",
            "drops",
            "tincture",
            "lozenges",
        }
        self.gen = {
            "cond": lambda: self.cond if rng.random() < 0.5 else rng.choice(CONDITIONS),
            "part": lambda: rng.choice(BODY_PARTS),
            "treat": lambda: self.treat if rng.random() < 0.5 else rng.choice(TREATMENTS),
            "prod": lambda: self.prod if rng.random() < 0.7 else rng.choice(site.products)[0],
            "form": lambda: self.form if rng.random() < 0.6 else rng.choice(FORMS),
            "ingr": lambda: rng.choice(self.ingr) if rng.random() < 0.6 else rng.choice(INGREDIENTS),
            "clinic": lambda: site.name,
            "city": lambda: site.city if rng.random() < 0.5 else rng.choice(CITIES),
            "state": lambda: site.state if rng.random() < 0.7 else rng.choice(STATES),
            "doc": lambda: (
                site.doctor if rng.random() < 0.6 else f"Dr. {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            ),
            "person": lambda: (
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}."
                if rng.random() < 0.6
                else rng.choice(FIRST_NAMES)
            ),
            "staff": lambda: rng.choice(STAFF)[0],
            "staffs": lambda: rng.choice(STAFF)[1],
            "verb": lambda: rng.choice(CLAIM_VERBS)[0],
            "verbb": lambda: rng.choice(CLAIM_VERBS)[1],
            "adj": lambda: rng.choice(ADJECTIVES),
            "comp": lambda: rng.choice(COMPARATORS),
            "benefit": lambda: rng.choice(BENEFITS),
            "mech": lambda: rng.choice(MECHANISMS).replace("{part}", rng.choice(BODY_PARTS)),
            "journal": lambda: "the " + rng.choice(JOURNALS) if rng.random() < 0.5 else rng.choice(JOURNALS),
            "n": self.count,
            "pct": lambda: f"{rng.randint(40, 99)}%",
            "k": lambda: str(rng.randint(2, 9)),
            "dur": lambda: rng.choice(DURATIONS),
            "sessions": lambda: rng.choice(SESSIONS),
            "year": lambda: str(rng.randint(1985, 2024)),
            "day": lambda: rng.choice(DAYS),
            "hours": lambda: rng.choice(HOURS),
            "street": lambda: rng.choice(STREETS) if rng.random() < 0.6 else f"{rng.choice(LAST_NAMES)} Street",
            "price": lambda: rng.choice(PRICES),
            "phone": lambda: site.phone,
            "fw": lambda: pools[rng.choice(("fn", "fn", "fed", "fing", "fv", "fer"))].pick(rng),
        }
        for cls in ("fn", "fv", "fed", "fing", "fer", "fest"):
            self.gen[cls] = (lambda p: lambda: p.pick(rng))(pools[cls])

    # -- slots ---------------------------------------------------------------
    def count(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            return fmt_count(rng.choice(ROUND_COUNTS))
        if r < 0.9:
            return fmt_count(rng.randint(2, 99) * 100)
        return rng.choice(["1 million", "2 million", "half a million", "a quarter million"])

    def fill(self, parts) -> str:
        out = [parts[0]]
        gen = self.gen
        seen = set()
        for i in range(1, len(parts), 2):
            name, upper, numbered = parts[i]
            val = gen[name]()
            if numbered:  # {day2} etc.: try to differ from the earlier fills
                for _ in range(3):
                    if val not in seen:
                        break
                    val = gen[name]()
            seen.add(val)
            if upper:
                val = cap(val)
            out.append(val)
            out.append(parts[i + 1])
        return "".join(out)

    def sentence(self, cat: str) -> str:
        s = cap(self.fill(self.rng.choice(COMPILED[cat])))
        if s.endswith(".."):  # "... to 7 p.m.."
            s = s[:-1]
        if self.fn_style and cat in FOOTNOTE_CATEGORIES and self.rng.random() < self.fn_rate:
            s = self.add_marker(s, cat)
        if self.md and self.rng.random() < 0.07:
            s = self.emphasize(s)
        return s

    def add_marker(self, s: str, cat: str) -> str:
        seq = FOOTNOTE_STYLES[self.fn_style]
        if len(self.notes) >= len(seq):
            return s
        marker = seq[len(self.notes)]
        self.notes.append((marker, self.footnote_text(cat)))
        if s.endswith('"') or s.endswith("?"):
            return s + marker
        if self.rng.random() < 0.5 and s[-1] in ".!":
            return s[:-1] + marker + s[-1]
        return s + marker

    def footnote_text(self, cat: str) -> str:
        rng = self.rng
        r = rng.random()
        if cat in ("establishment", "quantified") and r < 0.6:
            a1, a2 = rng.choice(LAST_NAMES), rng.choice(LAST_NAMES)
            title_words = [self.pools["fing"].pick(rng), "and", self.gen["cond"]()]
            if rng.random() < 0.5:
                title_words = [
                    self.gen["ingr"](),
                    "for",
                    self.gen["cond"](),
                    "in",
                    self.pools["fed"].pick(rng),
                    "adults",
                ]
            title = cap(" ".join(title_words))
            y = rng.randint(1995, 2024)
            return (
                f"{a1} {rng.choice('ABCDEFGHJKLMRST')}, {a2} {rng.choice('ABCDEFGHJKLMRST')}, et al. "
                f"{title}. {rng.choice(JOURNALS)}. {y};{rng.randint(1, 60)}({rng.randint(1, 12)}):"
                f"{(p := rng.randint(10, 900))}-{p + rng.randint(4, 15)}."
            )
        choices = [
            "Results not typical. Individual results may vary.",
            f"Based on an internal survey of {self.count()} customers conducted in {rng.randint(2015, 2024)}.",
            f"Compared with {rng.choice(COMPARATORS)} in a {rng.randint(4, 16)}-week observational study.",
            f"Patients were compensated for their time. Results may vary with {self.pools['fn'].pick(rng)}.",
            "These statements have not been evaluated by the Food and Drug Administration.",
            f"Data on file, {self.site.name}, {rng.randint(2016, 2024)}.",
            f"Offer valid through {rng.choice(MONTHS)} {rng.randint(1, 28)}. Shipping fees apply.",
        ]
        return rng.choice(choices)

    def emphasize(self, s: str) -> str:
        words = s.split(" ")
        if len(words) < 4:
            return s
        i = self.rng.randrange(0, len(words) - 1)
        j = min(len(words), i + self.rng.randint(1, 3))
        span = " ".join(words[i:j])
        m = re.match(r"^([A-Za-z][\w'’ %-]*[\w%])(.*)$", span)
        if not m:
            return s
        mark = self.rng.choice(["*", "**", "_", "**"])
        words[i:j] = [f"{mark}{m.group(1)}{mark}{m.group(2)}"]
        return " ".join(words)

    # -- output --------------------------------------------------------------
    def emit(self, line: str = "") -> None:
        self.lines.append(line)
        self.words += len(line.split())

    def heading(self, section: str, level: int) -> None:
        text = title_case(self.fill(self.rng.choice(COMPILED_HEADINGS[section])))
        if self.md:
            self.emit("#" * level + " " + text)
        else:
            r = self.rng.random()
            if r < 0.15:
                text = text.upper()
            elif r < 0.25:
                text += ":"
            self.emit(text)
        self.emit()

    def pick_cat(self, mix: dict) -> str:
        cats = list(mix)
        return self.rng.choices(cats, weights=[mix[c] for c in cats])[0]

    def paragraph(self, mix: dict, n: int | None = None) -> None:
        n = n or self.rng.randint(2, 7)
        sents = [self.sentence(self.pick_cat(mix)) for _ in range(n)]
        if self.md and self.rng.random() < 0.12:
            sents.append(self.link_sentence())
        self.emit(" ".join(sents))
        self.emit()

    def link_sentence(self) -> str:
        rng = self.rng
        path = (
            "/"
            + rng.choice(["services", "products", "blog", "book", "locations", "reviews"])
            + "/"
            + slugify(rng.choice([self.treat, self.cond, self.prod, self.pools["fn"].pick(rng)]))
        )
        url = path if rng.random() < 0.5 else f"https://{self.site.domain}{path}"
        text = rng.choice(
            [
                f"our {self.treat} page",
                "book a consultation",
                "read more",
                "see the full guide",
                f"{self.prod} reviews",
                f"learn about {self.cond}",
                "shop now",
                f"{self.pools['fing'].pick(rng)} tips",
            ]
        )
        return rng.choice(
            [
                f"Learn more on [{text}]({url}).",
                f"[{cap(text)}]({url})",
                f"Questions? See [{text}]({url}) or call {self.site.phone}.",
                f"More at <https://{self.site.domain}{path}>.",
            ]
        )

    def bullets(self, mix: dict) -> None:
        rng = self.rng
        n = rng.randint(3, 8)
        numbered = rng.random() < 0.25
        mark = rng.choice(["-", "*", "-"]) if self.md else rng.choice(["-", "*", "•", "-"])
        short = rng.random() < 0.4
        for i in range(n):
            if short:
                item = rng.choice(
                    [
                        lambda: cap(rng.choice(CONDITIONS)),
                        lambda: cap(rng.choice(BENEFITS)),
                        lambda: f"{cap(rng.choice(INGREDIENTS))} ({rng.randint(5, 900)} mg)",
                        lambda: f"{cap(self.pools['fed'].pick(rng))} {self.pools['fn'].pick(rng)}",
                        lambda: (
                            f"**{cap(self.pools['fing'].pick(rng))}**: {self.sentence('education')}"
                            if self.md
                            else f"{cap(self.pools['fing'].pick(rng))}: {self.sentence('education')}"
                        ),
                    ]
                )()
            else:
                item = self.sentence(self.pick_cat(mix))
            prefix = f"{i + 1}." if numbered else mark
            self.emit(f"{prefix} {item}")
        self.emit()

    def faq(self, mix: dict) -> None:
        rng = self.rng
        for _ in range(rng.randint(2, 5)):
            q = self.sentence("question")
            if not q.endswith("?"):
                q = cap(self.fill(rng.choice(COMPILED["question"][:6])))
            if self.md:
                self.emit(rng.choice([f"### {q}", f"**{q}**", f"**Q: {q}**"]))
            else:
                self.emit(rng.choice([q, f"Q: {q}"]))
            answer = [self.sentence(self.pick_cat(mix)) for _ in range(rng.randint(1, 4))]
            self.emit(("A: " if not self.md and rng.random() < 0.4 else "") + " ".join(answer))
            self.emit()

    def quotes(self) -> None:
        rng = self.rng
        for _ in range(rng.randint(2, 5)):
            s = self.sentence("testimonial")
            if self.md:
                self.emit("> " + s)
                if rng.random() < 0.4:
                    self.emit(">")
                    self.emit("> " + self.sentence(rng.choice(["testimonial", "efficacy", "quantified"])))
            else:
                self.emit(s)
            self.emit()

    def code_block(self) -> None:
        rng = self.rng
        kind = rng.choice(["json", "yaml", "text", "html"])
        self.emit("```" + ("" if kind == "text" and rng.random() < 0.5 else kind))
        if kind == "json":
            self.emit("{")
            self.emit('  "@context": "https://schema.org",')
            self.emit(f'  "@type": "{rng.choice(["MedicalClinic", "Product", "Physician", "MedicalWebPage"])}",')
            self.emit(f'  "name": "{self.site.name}",')
            self.emit(f'  "telephone": "{self.site.phone}",')
            self.emit(f'  "address": {{"addressLocality": "{self.site.city}", "addressRegion": "{self.site.state}"}},')
            self.emit(f'  "description": "{self.sentence("business")}"')
            self.emit("}")
        elif kind == "yaml":
            self.emit(f"product: {self.prod}")
            self.emit(f"form: {self.form}")
            self.emit(f"servings: {rng.randint(3, 12)}0")
            self.emit("ingredients:")
            for ing in self.ingr:
                self.emit(f"  - name: {ing}")
                self.emit(f"    amount_mg: {rng.randint(5, 900)}")
        elif kind == "html":
            self.emit(f'<div class="cta-{self.pools["fn"].pick(rng)}">')
            self.emit(f'  <a href="https://{self.site.domain}/book">Book your {self.treat} visit</a>')
            self.emit(f"  <p>{self.sentence('business')}</p>")
            self.emit("</div>")
        else:
            self.emit(f"Supplement Facts  Serving size: {rng.randint(1, 4)} {self.form}")
            for ing in rng.sample(INGREDIENTS, rng.randint(3, 7)):
                self.emit(f"{ing:<28} {rng.randint(5, 900):>4} mg   {rng.choice(['*', '†', '10%', '25%', '100%'])}")
            self.emit("* Daily Value not established.")
        self.emit("```")
        self.emit()

    def table(self) -> None:
        rng = self.rng
        self.emit("| Ingredient | Amount | Why we use it |")
        self.emit("|---|---|---|")
        for ing in rng.sample(INGREDIENTS, rng.randint(3, 6)):
            self.emit(
                f"| {cap(ing)} | {rng.randint(5, 900)} mg | {cap(self.pools['fed'].pick(rng))} "
                f"{self.pools['fn'].pick(rng)} |"
            )
        self.emit()

    def front_matter(self, title: str) -> None:
        rng = self.rng
        self.emit("---")
        self.emit(f'title: "{title}"')
        self.emit(f"date: {rng.randint(2016, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        self.emit(f"author: {self.site.doctor if rng.random() < 0.5 else self.gen['person']()}")
        tags = [slugify(self.cond), slugify(self.treat)] + [
            self.pools["fn"].pick(rng) for _ in range(rng.randint(0, 3))
        ]
        self.emit(f"tags: [{', '.join(tags)}]")
        if rng.random() < 0.5:
            self.emit(f'description: "{self.sentence(rng.choice(["efficacy", "hedged", "education"]))}"')
        if rng.random() < 0.3:
            self.emit("draft: false")
        self.emit("---")
        self.emit()

    def section(self, section: str, level: int) -> None:
        rng = self.rng
        mix = SECTION_MIX[section]
        self.heading(section, level)
        if section == "faq":
            self.faq(mix)
            return
        if section == "testimonials":
            self.quotes()
            if rng.random() < 0.5:
                self.paragraph({"disclaimer": 1}, 1)
            return
        if section in ("benefits", "instructions") or (section != "topics" and rng.random() < 0.2):
            if rng.random() < 0.6:
                self.paragraph(mix, rng.randint(1, 3))
            self.bullets(mix)
            if rng.random() < 0.4:
                self.paragraph(mix)
            return
        for _ in range(rng.randint(1, 4)):
            self.paragraph(mix)
        if self.md and rng.random() < 0.03:
            self.code_block()
        if self.md and rng.random() < 0.02:
            self.table()

    def build(self, target: int) -> str:
        rng = self.rng
        _, first, pool = DOC_KINDS[self.kind]
        pool = {k: v for k, v in pool.items() if v > 0 and k in SECTION_MIX}
        title_tpl = rng.choice(
            [
                "{Treat} for {Cond} in {City}",
                "{Prod}: {Adj} Support for Your {Part}",
                "What Is {Cond}?",
                "{K} Things to Know About {Treat}",
                "Is {Treat} Right for You?",
                "{Cond}: Causes and Options",
                "How {Clinic} Approaches {Cond}",
                "{Prod} Review",
                "Frequently Asked Questions About {Treat}",
                "A Guide to {Cond} and {Fing}",
                "New at {Clinic}: {Treat}",
                "{Fn}, {Fn2} and Your {Part}",
                "Why We Recommend {Ingr}",
                "Patient Stories: {Cond}",
                "Understanding {Treat}",
            ]
        )
        title = title_case(self.fill(compile_template(title_tpl)))
        self.title = title
        if self.md:
            if rng.random() < 0.4:
                self.front_matter(title)
            self.emit("# " + title)
            self.emit()
            if rng.random() < 0.3:
                self.emit(
                    f"*By {self.site.doctor if rng.random() < 0.5 else self.gen['person']()} · "
                    f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2016, 2024)}*"
                )
                self.emit()
            if self.kind == "product" and rng.random() < 0.2:
                self.code_block()
        else:
            self.emit(title.upper() if rng.random() < 0.3 else title)
            self.emit()
            if self.kind == "news":
                self.emit(
                    f"{self.site.city.upper()}, {rng.choice(MONTHS)} {rng.randint(1, 28)}, "
                    f"{rng.randint(2016, 2024)} — {self.sentence('business')}"
                )
                self.emit()
        # lead paragraph
        self.paragraph(SECTION_MIX[first[0]])
        sections = list(first)
        body_target = max(MIN_WORDS, target - 40)  # the footer adds a few dozen words
        sec = first[0]
        while self.words < body_target:
            remaining = body_target - self.words
            if not sections and remaining < 150:
                # top up the last section with a short paragraph instead of overshooting
                self.paragraph(SECTION_MIX[sec], max(1, min(7, remaining // 13 + 1)))
                continue
            if sections:
                sec = sections.pop(0)
            else:
                keys = list(pool)
                sec = rng.choices(keys, weights=[pool[k] for k in keys])[0]
            level = 2 if not self.md or rng.random() < 0.8 else 3
            self.section(sec, level)
        self.footer()
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def footer(self) -> None:
        rng = self.rng
        if rng.random() < 0.5:
            self.paragraph({"business": 3, "instruction": 1}, rng.randint(1, 3))
        disclaimers = []
        if rng.random() < 0.6:
            disclaimers.append(
                rng.choice(
                    [
                        "Consult your physician before starting any new treatment or supplement.",
                        "Talk to your doctor before starting a new exercise or supplement routine.",
                        "This article is for general education and does not replace advice from your "
                        "healthcare provider.",
                        "Always speak with a qualified health care professional about your symptoms.",
                    ]
                )
            )
        if self.is_supplement and rng.random() < 0.8:
            disclaimers.append(
                "These statements have not been evaluated by the Food and Drug Administration. "
                "This product is not intended to diagnose, treat, cure, or prevent any disease."
            )
        if disclaimers:
            if self.md and rng.random() < 0.5:
                self.emit("---")
                self.emit()
            self.emit(("_" + " ".join(disclaimers) + "_") if self.md and rng.random() < 0.4 else " ".join(disclaimers))
            self.emit()
        notes = list(self.notes)
        if notes:
            # occasionally an unresolved marker or an orphaned footnote, as in real copy
            if rng.random() < 0.08:
                notes.pop(rng.randrange(len(notes)))
            if rng.random() < 0.05:
                seq = FOOTNOTE_STYLES[self.fn_style]
                if len(self.notes) < len(seq):
                    notes.append((seq[len(self.notes)], self.footnote_text("quantified")))
            if rng.random() < 0.4:
                self.emit("## References" if self.md else rng.choice(["References", "Notes", "Sources"]))
                self.emit()
            for marker, text in notes:
                if marker.startswith("[^"):
                    self.emit(f"{marker}: {text}")
                elif marker == "*" or marker == "**":
                    self.emit(f"{marker}{text}")
                else:
                    self.emit(f"{marker} {text}")
                if self.md and not marker.startswith("[^"):
                    self.emit()
            self.emit()


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------


def plan_sizes(rng: random.Random, files: int, words: int) -> list[int]:
    mean = words / files
    sizes = [rng.lognormvariate(0, 0.6) for _ in range(files)]
    for _ in range(20):
        scale = mean / (sum(sizes) / files)
        sizes = [min(PLAN_MAX, max(MIN_WORDS, s * scale)) for s in sizes]
    return [round(s) for s in sizes]


def prepare_outdir(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            sys.exit(f"make_corpus: {out} exists and is not a directory")
        if any(out.iterdir()):
            if not (out / MARKER_FILE).exists():
                sys.exit(f"make_corpus: {out} is not empty and was not made by this script; refusing to overwrite")
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER_FILE).write_text("generated by bench/make_corpus.py; safe to delete\n", encoding="utf8")


def setup(seed: int, files: int, lookup: str | None) -> tuple[random.Random, dict, list]:
    """The random source, word pools and sites every document is drawn from."""
    rng = random.Random(seed)
    classes = filler_classes(load_lookup(find_lookup_file(lookup)))
    # Zipf-like heads over seeded shuffles plus a uniform share: a long tail of rare words.
    pools = {cls: Pool(words, random.Random(f"{seed}:{cls}"), s=0.9, uniform=0.75) for cls, words in classes.items()}
    n_sites = max(1, min(60, files // 15))
    used_slugs: set = set()
    site_kinds = rng.choices(["clinic", "brand", "publisher"], weights=[5, 3, 2], k=n_sites)
    return rng, pools, [Site(rng, kind, used_slugs) for kind in site_kinds]


def write_export(args: argparse.Namespace) -> int:
    """JSON Lines of short pages (about 15-60 words, whole sentences) cut from generated documents."""
    t0 = time.perf_counter()
    rng, pools, sites = setup(args.seed, 1000, args.lookup)
    written = total_words = 0
    vocab: set = set()
    formats = {".md": "markdown", ".txt": "text"}
    args.export.parent.mkdir(parents=True, exist_ok=True)
    with open(args.export, "w", encoding="utf8") as out:
        while written < args.pages:
            site = rng.choice(sites)
            kinds = SITE_KIND_DOCS[site.kind]
            kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
            ext = ".md" if rng.random() < 0.55 else ".txt"
            doc = Doc(rng, site, pools, ext, kind)
            page: list[str] = []
            size, goal = 0, rng.randint(15, 55)
            for paragraph in doc.build(rng.randint(MIN_WORDS, 1200)).split("\n\n"):
                # Long paragraphs are cut after a sentence, so that pages stay short.
                for piece in re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph) if len(paragraph) > 300 else [paragraph]:
                    page.append(piece)
                    size += len(piece.split())
                    if size >= goal and written < args.pages:
                        text = "\n\n".join(page) + "\n"
                        page_id = f"{site.slug}/{slugify(doc.title)}/{written}"
                        out.write(json.dumps({"id": page_id, "text": text, "format": formats[ext]}) + "\n")
                        written += 1
                        total_words += len(text.split())
                        vocab.update(WORD_RE.findall(text.lower()))
                        page, size, goal = [], 0, rng.randint(15, 55)
    print(f"pages: {written} in {args.export}")
    print(f"total words: {total_words}")
    print(f"distinct lowercase tokens: {len(vocab)}")
    sys.stdout.flush()
    print(f"time: {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=Path, nargs="?", help="the tree to write (not with --export)")
    ap.add_argument("--words", type=int, default=1_000_000, help="total words to generate (default 1000000)")
    ap.add_argument("--files", type=int, default=1000, help="number of files (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--lookup", help="path to en_lemma_lookup.json[.gz] (default: from spacy_lookups_data)")
    ap.add_argument("--export", type=Path, metavar="FILE", help="write a JSON Lines export of short pages instead")
    ap.add_argument("--pages", type=int, default=100_000, help="pages in the --export file (default 100000)")
    args = ap.parse_args(argv)
    if args.export is not None:
        if args.pages < 1:
            ap.error("need --pages >= 1")
        return write_export(args)
    if args.outdir is None:
        ap.error("name the OUTDIR to write (or --export FILE)")
    if args.files < 1 or args.words < args.files:
        ap.error("need --files >= 1 and --words >= --files")

    t0 = time.perf_counter()
    rng, pools, sites = setup(args.seed, args.files, args.lookup)
    sizes = plan_sizes(rng, args.files, args.words)
    prepare_outdir(args.outdir)

    total_words = 0
    planned = 0
    vocab: set = set()
    used_paths: set = set()
    counts = {".txt": 0, ".md": 0}
    for _i, size in enumerate(sizes):
        site = rng.choice(sites)
        kinds = SITE_KIND_DOCS[site.kind]
        kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
        ext = ".md" if rng.random() < 0.55 else ".txt"
        planned += size
        target = min(PLAN_MAX, max(MIN_WORDS, size + (planned - size - total_words)))
        doc = Doc(rng, site, pools, ext, kind)
        text = doc.build(target)
        directory = DOC_KINDS[kind][0]
        base = f"{site.slug}/{directory}/{slugify(doc.title)}"
        rel, n = base + ext, 2
        while rel in used_paths:
            rel, n = f"{base}-{n}{ext}", n + 1
        used_paths.add(rel)
        path = args.outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf8")
        total_words += len(text.split())
        vocab.update(WORD_RE.findall(text.lower()))
        counts[ext] += 1

    elapsed = time.perf_counter() - t0
    print(f"files: {len(sizes)} ({counts['.txt']} .txt, {counts['.md']} .md) in {args.outdir}")
    print(f"total words: {total_words}")
    print(f"distinct lowercase tokens: {len(vocab)}")
    sys.stdout.flush()
    print(f"time: {elapsed:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
