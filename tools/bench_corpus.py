#!/usr/bin/env python3
"""Deterministic benchmark corpus for `make bench` (fixed seed).

usage: bench_corpus.py OUT.jsonl SIZE_MB

Documents of ordinary news-like prose in six languages, most of them about
nothing military, some carrying transfer sentences taken from the project's
own examples (examples/) with actors swapped. Written for armscope; no text
comes from anywhere else.
"""
import json
import os
import random
import re
import sys

PROSE = {
    "en": ["The city council approved the new budget after a long debate on {t}.",
           "Officials said the {t} would reopen next week after repairs.",
           "Farmers in the region expect a better harvest than last year despite the dry spring.",
           "The central bank kept interest rates unchanged, citing slower inflation.",
           "Thousands of fans gathered in the square to celebrate the victory of the local team.",
           "A new railway line will connect the two largest cities by the end of the decade.",
           "The museum opened an exhibition of paintings from the last century on {t}."],
    "fr": ["Le conseil municipal a adopté le nouveau budget après un long débat sur {t}.",
           "Les autorités ont indiqué que la {t} rouvrira la semaine prochaine après des travaux.",
           "Les agriculteurs de la région attendent une meilleure récolte que l'an dernier.",
           "La banque centrale a maintenu ses taux, invoquant une inflation en baisse.",
           "Des milliers de supporters se sont réunis sur la place pour fêter la victoire.",
           "Une nouvelle ligne de train reliera les deux plus grandes villes avant la fin de la décennie."],
    "de": ["Der Stadtrat hat nach langer Debatte über {t} den neuen Haushalt beschlossen.",
           "Die Behörden teilten mit, die {t} werde nach Reparaturen nächste Woche wieder geöffnet.",
           "Die Landwirte der Region erwarten trotz des trockenen Frühlings eine bessere Ernte.",
           "Die Zentralbank ließ die Zinsen unverändert und verwies auf die sinkende Inflation.",
           "Tausende Fans versammelten sich auf dem Platz, um den Sieg zu feiern."],
    "es": ["El ayuntamiento aprobó el nuevo presupuesto tras un largo debate sobre {t}.",
           "Las autoridades dijeron que la {t} volverá a abrir la próxima semana tras las obras.",
           "Los agricultores de la región esperan una cosecha mejor que la del año pasado.",
           "El banco central mantuvo los tipos de interés sin cambios ante la menor inflación.",
           "Miles de aficionados se reunieron en la plaza para celebrar la victoria."],
    "ru": ["Городской совет после долгого обсуждения {t} утвердил новый бюджет.",
           "Власти сообщили, что {t} вновь откроется на следующей неделе после ремонта.",
           "Фермеры региона ожидают урожай лучше прошлогоднего, несмотря на сухую весну.",
           "Центральный банк сохранил ставку без изменений, сославшись на замедление инфляции.",
           "Тысячи болельщиков собрались на площади, чтобы отпраздновать победу команды."],
    "uk": ["Міська рада після тривалого обговорення {t} затвердила новий бюджет.",
           "Влада повідомила, що {t} знову відкриється наступного тижня після ремонту.",
           "Фермери регіону очікують кращого врожаю, ніж торік, попри суху весну.",
           "Центральний банк залишив облікову ставку без змін через уповільнення інфляції.",
           "Тисячі вболівальників зібралися на площі, щоб відсвяткувати перемогу команди."],
}
TOPICS = {"en": ["the bridge", "public transport", "the library", "the harbour"],
          "fr": ["bibliothèque", "piscine", "gare", "patinoire"],
          "de": ["Bibliothek", "Schwimmhalle", "Brücke", "Markthalle"],
          "es": ["biblioteca", "piscina", "estación", "lonja"],
          "ru": ["библиотека", "бассейн", "вокзал", "рынок"],
          "uk": ["бібліотека", "басейн", "вокзал", "ринок"]}


def example_sentences(root):
    """Sentences of the bundled examples (text, HTML stripped, JSON Lines)."""
    out = {"en": [], "fr": []}
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        raw = open(path, encoding="utf-8").read()
        texts = []
        if name.endswith(".jsonl"):
            texts = [(json.loads(l).get("lang"), json.loads(l)["text"]) for l in raw.splitlines() if l.strip()]
        else:
            texts = [(None, re.sub(r"<[^>]+>", " ", raw))]
        for lang, t in texts:
            for s in re.split(r"(?<=[.!?])\s+", t):
                s = " ".join(s.split())
                if len(s) < 40:
                    continue
                l = lang or ("fr" if re.search(r"\b(la|le|les|des|à)\b", s) else "en")
                out.setdefault(l, []).append(s)
    return out


def main():
    out, size_mb = sys.argv[1], float(sys.argv[2])
    rnd = random.Random(20261127)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples")
    ex = example_sentences(root)
    target = int(size_mb * 1024 * 1024)
    langs = list(PROSE)
    n = written = 0
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            lang = langs[n % len(langs)]
            sents = []
            for _ in range(rnd.randint(6, 30)):
                sents.append(rnd.choice(PROSE[lang]).format(t=rnd.choice(TOPICS[lang])))
            if ex.get(lang) and rnd.random() < 0.3:
                for _ in range(rnd.randint(1, 3)):
                    sents.insert(rnd.randrange(len(sents) + 1), rnd.choice(ex[lang]))
            text = " ".join(sents) + " (%d)" % n
            line = json.dumps({"id": "b%07d" % n, "date": "2024-%02d-%02d" % (n % 12 + 1, n % 28 + 1),
                               "text": text}, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    print(n)


if __name__ == "__main__":
    main()
