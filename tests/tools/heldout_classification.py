#!/usr/bin/env python3
# Held-out classification data sets, derived for the final check only (never used to choose settings).
# H1 (sequences kind, univariate, like synthetic control): ETTh1 oil temperature (OT), 24-hour windows starting
#    every 5 hours (5 is prime to 24, so every start hour occurs), labelled by the start hour // 4 (6 classes:
#    00-03h, 04-07h, ...). One line per window: 24 values then the label.
# H2 (ts kind, 5 channels, like JapaneseVowels): Beijing PM2.5, one case per calendar day with all 24 hours
#    present: channels pm2.5, DEWP, TEMP, PRES, Iws over the day's hours; class = meteorological season (DJF,
#    MAM, JJA, SON). Days of 2010-2013 in _TRAIN.ts, days of 2014 in _TEST.ts.
#
# Run from the repository root: python3 tests/tools/heldout_classification.py OUT_DIR, then (README, Results)
#   submit-scripts/spark-lstm pipeline --conf conf/datasets/synthetic-control.conf \
#     --set input.path=OUT_DIR/etth1-ot-hour.data --set sequences.label=last_field --set 'sequences.classNames=[]' \
#     --set prepare.perSequence=none --set prepare.sequenceStats=false --output runs/h1
#   submit-scripts/spark-lstm pipeline --conf conf/datasets/japanese-vowels.conf \
#     --set input.path=OUT_DIR/BeijingSeason_TRAIN.ts --set ts.testPath=OUT_DIR/BeijingSeason_TEST.ts --output runs/h2
# each once with perSequence = none, sequenceStats = false and once with standardize, true (and prepare.seed,
# model.seed 12345 and 1).
import csv, collections, os, sys
ETT = 'tests/data/etth1/ETTh1.csv'
PM = '../shared/data/beijing_pm25/pollution.csv'
OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)

rows = list(csv.DictReader(open(ETT)))
with open(f'{OUT}/etth1-ot-hour.data', 'w') as f:
    for start in range(0, len(rows) - 24 + 1, 5):
        w = rows[start:start + 24]
        hour = int(w[0]['date'][11:13])
        f.write(' '.join(r['OT'] for r in w) + ' ' + str(hour // 4) + '\n')

days = collections.OrderedDict()
for r in csv.DictReader(open(PM)):
    days.setdefault((int(r['year']), int(r['month']), int(r['day'])), []).append(r)
season = {12: 'DJF', 1: 'DJF', 2: 'DJF', 3: 'MAM', 4: 'MAM', 5: 'MAM', 6: 'JJA', 7: 'JJA', 8: 'JJA',
          9: 'SON', 10: 'SON', 11: 'SON'}
chans = ['pm2.5', 'DEWP', 'TEMP', 'PRES', 'Iws']
header = ['@problemName BeijingSeason', '@timeStamps false', '@missing false', '@univariate false',
          '@dimensions 5', '@equalLength true', '@seriesLength 24', '@classLabel true DJF MAM JJA SON', '@data']
files = {'TRAIN': open(f'{OUT}/BeijingSeason_TRAIN.ts', 'w'), 'TEST': open(f'{OUT}/BeijingSeason_TEST.ts', 'w')}
for f in files.values(): f.write('\n'.join(header) + '\n')
counts = collections.Counter()
for (y, m, d), hs in days.items():
    if len(hs) != 24 or any(h['pm2.5'] == 'NA' for h in hs): continue
    part = 'TEST' if y == 2014 else 'TRAIN'
    files[part].write(':'.join(','.join(h[c] for h in hs) for c in chans) + ':' + season[m] + '\n')
    counts[part, season[m]] += 1
print(sorted(counts.items()))
