#!/usr/bin/env python3
"""The scikit-learn baseline for `Benchmarks/request_topics.py`: reads an export of access-to-information
requests (CSV, the Plataforma Nacional de Transparencia's columns), clusters the requests' descriptions
with TfidfVectorizer + MiniBatchKMeans and writes the labels in the same JSON shape as
`cocrea bench topics --labels OUT.json`:

    {"labels": [int per data row, file order], "topics": [{"label", "terms", "size"}],
     "rows": n, "problems": n, "seconds": {"read", "cluster", "total"}}

    python3 Benchmarks/sklearn_topics.py solicitudes.csv 12 sklearn.json --seed 7

A row without a description (or too short to have the column) counts as a problem and gets the label -1.
"seconds" are measured inside this process (after Python and scikit-learn have been imported): "read" is
the CSV, "cluster" the vectorisation and the clustering, "total" both plus the terms."""
import argparse
import csv
import json
import pathlib
import sys
import time

import numpy
from sklearn.cluster import MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode

DESCRIPTION = "Descripción de la solicitud"

# Snowball's Spanish stop-word list (snowballstem.org, algorithms/spanish/stop.txt): articles, pronouns,
# prepositions, conjunctions and the forms of estar, haber, ser, tener and sentir. Accents are stripped
# below, as the vectorizer does with the text, so that "más" and "mas" are both dropped.
SPANISH_STOP_WORDS = """
de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o este sí
porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos uno
les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él tanto esa
estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros mi mis tú te ti tu tus
ellas nosotras vosotros vosotras os mío mía míos mías tuyo tuya tuyos tuyas suyo suya suyos suyas
nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos esas
estoy estás está estamos estáis están esté estés estemos estéis estén estaré estarás estará estaremos
estaréis estarán estaría estarías estaríamos estaríais estarían estaba estabas estábamos estabais
estaban estuve estuviste estuvo estuvimos estuvisteis estuvieron estuviera estuvieras estuviéramos
estuvierais estuvieran estuviese estuvieses estuviésemos estuvieseis estuviesen estando estado estada
estados estadas estad
he has ha hemos habéis han haya hayas hayamos hayáis hayan habré habrás habrá habremos habréis habrán
habría habrías habríamos habríais habrían había habías habíamos habíais habían hube hubiste hubo hubimos
hubisteis hubieron hubiera hubieras hubiéramos hubierais hubieran hubiese hubieses hubiésemos hubieseis
hubiesen habiendo habido habida habidos habidas
soy eres es somos sois son sea seas seamos seáis sean seré serás será seremos seréis serán sería serías
seríamos seríais serían era eras éramos erais eran fui fuiste fue fuimos fuisteis fueron fuera fueras
fuéramos fuerais fueran fuese fueses fuésemos fueseis fuesen sintiendo sentido sentida sentidos sentidas
siente sentid siendo sido
tengo tienes tiene tenemos tenéis tienen tenga tengas tengamos tengáis tengan tendré tendrás tendrá
tendremos tendréis tendrán tendría tendrías tendríamos tendríais tendrían tenía tenías teníamos teníais
tenían tuve tuviste tuvo tuvimos tuvisteis tuvieron tuviera tuvieras tuviéramos tuvierais tuvieran
tuviese tuvieses tuviésemos tuvieseis tuviesen teniendo tenido tenida tenidos tenidas tened
""".split()
STOP_WORDS = sorted({strip_accents_unicode(word.lower()) for word in SPANISH_STOP_WORDS})


def read_descriptions(path):
    """The description of every data row (None when the row has no usable description)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        column = header.index(DESCRIPTION)
        texts = []
        for row in reader:
            text = row[column].strip() if column < len(row) else ""
            texts.append(text or None)
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="CSV file (UTF-8, comma-delimited, a header row)")
    parser.add_argument("topics", type=int, help="number of clusters")
    parser.add_argument("output", help="labels JSON to write")
    parser.add_argument("--seed", type=int, default=0, help="MiniBatchKMeans random_state")
    parser.add_argument("--terms", type=int, default=8, help="terms reported per topic")
    args = parser.parse_args()
    if args.topics < 1:
        raise SystemExit("scikit-learn needs the number of topics (≥ 1)")

    started = time.perf_counter()
    texts = read_descriptions(args.input)
    read_done = time.perf_counter()

    usable = [i for i, text in enumerate(texts) if text is not None]
    vectorizer = TfidfVectorizer(strip_accents="unicode", lowercase=True, sublinear_tf=True, min_df=2, stop_words=STOP_WORDS)
    matrix = vectorizer.fit_transform([texts[i] for i in usable])
    model = MiniBatchKMeans(n_clusters=args.topics, random_state=args.seed, n_init=3)
    assigned = model.fit_predict(matrix)
    cluster_done = time.perf_counter()

    labels = [-1] * len(texts)
    for row, label in zip(usable, assigned):
        labels[row] = int(label)
    vocabulary = vectorizer.get_feature_names_out()
    sizes = numpy.bincount(assigned, minlength=args.topics)
    topics = []
    for label, centre in enumerate(model.cluster_centers_):
        best = numpy.argsort(centre)[::-1][:args.terms]
        topics.append({"label": label, "terms": [str(vocabulary[i]) for i in best], "size": int(sizes[label])})
    total = time.perf_counter() - started

    result = {"labels": labels, "topics": topics, "rows": len(texts), "problems": len(texts) - len(usable),
              "seconds": {"read": round(read_done - started, 4), "cluster": round(cluster_done - read_done, 4),
                          "total": round(total, 4)}}
    pathlib.Path(args.output).write_text(json.dumps(result, ensure_ascii=False))
    print(f"scikit-learn: {len(texts)} rows, {args.topics} topics, read {result['seconds']['read']:.2f} s, "
          f"cluster {result['seconds']['cluster']:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
