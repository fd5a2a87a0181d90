#!/usr/bin/env python3
"""Importing and clustering access-to-information requests: `cocrea bench topics` against scikit-learn
(TfidfVectorizer + MiniBatchKMeans, `Benchmarks/sklearn_topics.py`) on the same synthetic file in the
same run, each as its own process; quality as the adjusted Rand index against the planted topics.

Generates N requests (solicitudes de acceso a la información, deterministic with --seed) over K planted
topics of Mexican municipal and state transparency (obra pública y contratos, becas, nómina, agua
potable, seguridad pública…): request boilerplate shared by every topic, topic vocabulary with its
morphological variants, sometimes without accents or in capitals, words shared between neighbouring
topics, years, amounts and dependencias. Written as the Plataforma Nacional de Transparencia exports
them (UTF-8 CSV, comma-delimited, quoted where needed: Folio, Fecha de solicitud, Sujeto obligado,
Descripción de la solicitud, Medio de entrega); the planted labels go to a separate JSON file. Then runs

    cocrea bench topics --input FILE.csv --topics K --labels OUT.json     (k given)
    cocrea bench topics --input FILE.csv --topics 0 --labels OUT.json     (k chosen by Cocrea)
    python3 Benchmarks/sklearn_topics.py FILE.csv K OUT.json --seed SEED  (the baseline)

measuring each process's wall time (spawn to exit) and peak resident memory (its own rusage from
wait4), and scores every row with sklearn.metrics.adjusted_rand_score. Writes Markdown.

    python3 Benchmarks/request_topics.py --binary .build/release/cocrea --output Benchmarks/results/topics-release.md

MiniBatchKMeans' ARI depends on its random_state: the report also scores scikit-learn with random states
0…N-1 on the same file (--sklearn-spread N) and gives their range and median.

Target (issue): with the number of topics given, Cocrea's ARI is at least scikit-learn's and Cocrea is
faster. A missed target is reported, not an error: the exit status is non-zero only when something
could not be run (a process failed, or its labels do not cover the rows)."""
import argparse
import csv
import datetime
import itertools
import json
import os
import pathlib
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SKLEARN_SCRIPT = ROOT / "Benchmarks" / "sklearn_topics.py"
COLUMNS = ["Folio", "Fecha de solicitud", "Sujeto obligado", "Descripción de la solicitud", "Medio de entrega"]

# Planted topics: each a list of concepts, each concept the surface forms it is written with (the first
# ones are the most frequent). Neighbouring topics share some concepts on purpose (contratos, padrón de
# beneficiarios, tarifas, concesiones, camiones, facturas, sueldos de policías…).
TOPICS = [
    ("obra pública y contratos", [
        ["obra pública", "obras públicas", "obra", "obras"],
        ["contrato", "contratos", "contratación", "contrataciones", "contratista", "contratistas"],
        ["licitación", "licitaciones", "licitación pública", "invitación restringida"],
        ["adjudicación directa", "adjudicaciones directas", "adjudicado", "adjudicada"],
        ["pavimentación", "pavimento", "repavimentación", "bacheo", "baches"],
        ["constructora", "constructoras", "empresa constructora"],
        ["estimaciones", "estimación", "finiquito", "finiquitos"],
        ["bitácora de obra", "bitácoras", "avance físico", "avance físico-financiero"],
        ["puente", "puentes", "vialidad", "vialidades", "calles", "banquetas"],
        ["fianzas", "fianza de cumplimiento", "anticipo", "anticipos"],
    ]),
    ("becas y padrón de beneficiarios", [
        ["beca", "becas", "becarios", "becarias", "becado", "becados"],
        ["padrón de beneficiarios", "padrón", "padrones", "beneficiarios", "beneficiarias"],
        ["estudiantes", "estudiante", "alumnos", "alumnas", "alumno"],
        ["escuelas", "escuela", "planteles", "plantel educativo"],
        ["primaria", "secundaria", "preparatoria", "bachillerato", "universidad"],
        ["convocatoria", "convocatorias", "requisitos de la convocatoria"],
        ["promedio", "calificaciones", "aprovechamiento escolar"],
        ["apoyo económico", "apoyos económicos", "estímulo económico", "estímulos"],
        ["útiles escolares", "uniformes escolares", "mochilas"],
    ]),
    ("nómina y sueldos de funcionarios", [
        ["nómina", "nóminas", "recibos de nómina", "nómina completa"],
        ["sueldo", "sueldos", "salario", "salarios", "remuneración", "remuneraciones"],
        ["funcionarios", "funcionario", "funcionarias", "servidores públicos", "servidor público"],
        ["plazas", "plaza", "plantilla de personal", "plantilla laboral"],
        ["tabulador", "tabulador de sueldos", "tabuladores"],
        ["aguinaldo", "aguinaldos", "prima vacacional", "bonos", "bono"],
        ["compensaciones", "compensación", "prestaciones", "prestación"],
        ["regidores", "regidor", "presidente municipal", "síndico", "directores", "director general"],
        ["personal de confianza", "personal eventual", "honorarios asimilables", "base sindicalizada"],
        ["percepciones", "deducciones", "percepción bruta y neta"],
    ]),
    ("agua potable", [
        ["agua potable", "agua", "abasto de agua", "suministro de agua"],
        ["pozo", "pozos", "perforación de pozos", "tanques", "tanque elevado"],
        ["tomas domiciliarias", "toma de agua", "tomas", "medidores", "medidor"],
        ["fugas", "fuga", "fugas de agua", "tuberías", "tubería"],
        ["tandeo", "cortes de agua", "desabasto de agua", "pipas", "pipa"],
        ["organismo operador", "SIAPA", "comisión estatal del agua", "CEA"],
        ["drenaje", "alcantarillado", "colectores", "red hidráulica", "red de drenaje"],
        ["calidad del agua", "cloración", "análisis de laboratorio", "potabilizadora", "plantas potabilizadoras"],
        ["aguas residuales", "planta de tratamiento", "plantas de tratamiento", "saneamiento"],
        ["tarifas", "tarifa", "cobro del servicio"],
    ]),
    ("seguridad pública y policía", [
        ["seguridad pública", "seguridad ciudadana", "comisaría", "comisaría de seguridad"],
        ["policía", "policías", "policía municipal", "elementos policiacos", "elementos", "agentes"],
        ["patrullas", "patrulla", "unidades policiacas", "motopatrullas"],
        ["armamento", "armas", "armas de fuego", "cartuchos", "municiones"],
        ["denuncias", "denuncia", "carpetas de investigación", "incidencia delictiva"],
        ["delitos", "delito", "robos", "homicidios", "robo a casa habitación"],
        ["detenidos", "detenciones", "personas detenidas", "faltas administrativas"],
        ["cámaras de videovigilancia", "videovigilancia", "C5", "cámaras"],
        ["chalecos antibalas", "equipamiento policial", "uniformes"],
        ["exámenes de control de confianza", "control de confianza", "certificado único policial"],
    ]),
    ("salud y hospitales", [
        ["hospital", "hospitales", "hospital civil", "hospital general"],
        ["centros de salud", "centro de salud", "clínicas", "clínica", "unidades médicas"],
        ["médicos", "médico", "enfermeras", "enfermeros", "personal médico", "especialistas"],
        ["medicamentos", "medicamento", "medicinas", "abasto de medicamentos", "desabasto de medicamentos"],
        ["recetas", "receta", "surtimiento de recetas", "farmacia", "farmacias"],
        ["camas", "camas censables", "ocupación hospitalaria", "terapia intensiva"],
        ["consultas", "consulta médica", "urgencias", "cirugías"],
        ["vacunas", "vacunación", "dosis aplicadas", "campañas de vacunación"],
        ["pacientes", "paciente", "derechohabientes", "atención médica"],
        ["ambulancias", "ambulancia", "servicios médicos municipales", "Cruz Verde"],
    ]),
    ("transporte público", [
        ["transporte público", "transporte", "servicio de transporte"],
        ["camiones", "camión", "autobuses", "unidades de transporte", "parque vehicular"],
        ["rutas", "ruta", "derroteros", "rutas de transporte"],
        ["concesiones", "concesión", "concesionarios", "permisionarios"],
        ["tarifa", "tarifas", "pasaje", "aumento al pasaje", "tarjeta de prepago"],
        ["choferes", "chofer", "operadores", "conductores", "licencias de chofer"],
        ["movilidad", "secretaría de movilidad", "semáforos", "semaforización"],
        ["tren ligero", "mi macro", "línea 3", "estaciones"],
        ["paradas", "parabuses", "ciclovías", "ciclovía", "bicicletas públicas"],
        ["accidentes viales", "siniestros viales", "hechos de tránsito"],
    ]),
    ("basura y residuos", [
        ["basura", "residuos sólidos", "residuos", "desechos"],
        ["recolección", "recolección de basura", "servicio de recolección", "aseo público"],
        ["relleno sanitario", "rellenos sanitarios", "vertedero", "tiradero", "tiraderos"],
        ["camiones recolectores", "camiones", "unidades recolectoras"],
        ["concesión", "concesiones", "empresa concesionaria", "concesionaria"],
        ["toneladas", "tonelada", "toneladas diarias", "volumen de residuos"],
        ["barrido", "barrido manual", "limpia", "dirección de aseo"],
        ["contenedores", "contenedor", "papeleras"],
        ["reciclaje", "separación de residuos", "residuos reciclables", "composta"],
        ["lixiviados", "celdas", "clausura del vertedero"],
    ]),
    ("licencias y permisos de construcción", [
        ["licencia de construcción", "licencias de construcción", "licencias", "licencia"],
        ["permisos", "permiso", "permisos de edificación", "autorizaciones"],
        ["uso de suelo", "dictamen de uso de suelo", "dictámenes", "dictamen de trazo"],
        ["fraccionamientos", "fraccionamiento", "desarrollos inmobiliarios", "desarrollo inmobiliario"],
        ["predio", "predios", "inmueble", "inmuebles", "lote"],
        ["torres", "edificios", "departamentos", "niveles autorizados"],
        ["inspección", "inspecciones", "clausura", "clausuras", "sellos de clausura"],
        ["giros comerciales", "licencia de giro", "licencias de funcionamiento"],
        ["ordenamiento territorial", "plan parcial de desarrollo urbano", "coeficiente de ocupación"],
        ["obras de urbanización", "urbanización", "recepción de obras"],
    ]),
    ("presupuesto y deuda", [
        ["presupuesto", "presupuesto de egresos", "presupuestos", "presupuestal"],
        ["deuda pública", "deuda", "endeudamiento", "pasivos"],
        ["crédito", "créditos", "empréstito", "empréstitos", "financiamiento"],
        ["ingresos", "ley de ingresos", "recaudación", "ingresos propios"],
        ["participaciones federales", "participaciones", "aportaciones federales", "ramo 33"],
        ["cuenta pública", "cuentas públicas", "estados financieros"],
        ["ejercicio del gasto", "gasto", "gasto corriente", "partidas presupuestales", "partida"],
        ["auditoría", "auditorías", "observaciones de la auditoría", "ASEJ"],
        ["refinanciamiento", "intereses", "tasa de interés", "bancos", "banca de desarrollo"],
        ["amortización", "amortizaciones", "saldo de la deuda"],
    ]),
    ("viajes y viáticos", [
        ["viáticos", "viático", "gastos de viaje"],
        ["viajes", "viaje", "viajes oficiales", "viajes al extranjero"],
        ["comisiones oficiales", "comisión oficial", "oficio de comisión", "agenda de trabajo"],
        ["boletos de avión", "boletos", "vuelos", "pasajes aéreos"],
        ["hospedaje", "hoteles", "hotel", "alimentos"],
        ["gastos de representación", "comidas", "restaurantes"],
        ["comprobantes", "comprobación", "facturas", "facturas del gasto"],
        ["vehículos oficiales", "vehículo oficial", "gasolina", "combustible", "vales de gasolina"],
        ["destino", "destinos", "motivo del viaje", "informe de la comisión"],
        ["casetas", "peajes", "traslados"],
    ]),
    ("programas sociales", [
        ["programas sociales", "programa social", "programas", "programa"],
        ["apoyos", "apoyo", "entrega de apoyos", "apoyos sociales"],
        ["despensas", "despensa", "canastas básicas", "paquetes alimentarios"],
        ["padrón de beneficiarios", "beneficiarios", "beneficiarias", "personas beneficiadas"],
        ["adultos mayores", "personas adultas mayores", "pensión", "pensiones"],
        ["madres jefas de familia", "jefas de familia", "mujeres jefas de hogar"],
        ["reglas de operación", "lineamientos del programa", "criterios de selección"],
        ["tarjetas", "tarjeta", "monederos electrónicos", "transferencias"],
        ["comedores comunitarios", "comedor comunitario", "desayunos escolares", "DIF"],
        ["vivienda", "mejoramiento de vivienda", "láminas", "cemento", "tinacos"],
    ]),
    ("adquisiciones y proveedores", [
        ["adquisiciones", "adquisición", "compras", "compra"],
        ["proveedores", "proveedor", "padrón de proveedores"],
        ["órdenes de compra", "orden de compra", "requisiciones", "requisición"],
        ["licitación", "licitaciones", "comité de adquisiciones", "concurso"],
        ["facturas", "factura", "pagos a proveedores", "cuentas por pagar"],
        ["arrendamiento", "arrendamientos", "renta de equipo", "renta de vehículos"],
        ["papelería", "equipo de cómputo", "mobiliario", "consumibles"],
        ["contratos", "contrato", "pedidos", "cotizaciones", "cotización"],
    ]),
    ("comunicación social y publicidad", [
        ["comunicación social", "publicidad oficial", "publicidad", "propaganda"],
        ["medios de comunicación", "periódicos", "radio", "televisión", "portales de noticias"],
        ["campañas", "campaña", "campañas de difusión", "difusión"],
        ["pauta", "pautas", "inserciones", "espectaculares", "anuncios"],
        ["redes sociales", "Facebook", "influencers", "publicaciones patrocinadas"],
        ["contratos", "contrato", "convenios", "convenios de publicidad"],
        ["imagen institucional", "logotipo", "diseño", "producción de videos"],
    ]),
    ("alumbrado, parques y jardines", [
        ["alumbrado público", "alumbrado", "luminarias", "luminaria", "lámparas"],
        ["parques", "parque", "jardines", "áreas verdes", "plazas públicas"],
        ["árboles", "árbol", "poda", "derribo de árboles", "arbolado"],
        ["mantenimiento", "rehabilitación", "reparación", "reparaciones"],
        ["juegos infantiles", "canchas", "unidades deportivas", "gimnasios al aire libre"],
        ["focos", "tecnología LED", "postes", "energía eléctrica", "CFE"],
        ["reportes ciudadanos", "reporte", "quejas", "queja"],
    ]),
    ("protección civil y medio ambiente", [
        ["protección civil", "bomberos", "unidad de protección civil"],
        ["inundaciones", "inundación", "temporal de lluvias", "atlas de riesgos"],
        ["incendios", "incendio", "incendios forestales", "quemas"],
        ["medio ambiente", "ecología", "contaminación", "calidad del aire"],
        ["impacto ambiental", "manifestación de impacto ambiental", "estudios ambientales"],
        ["dictamen de riesgo", "dictámenes de riesgo", "visto bueno", "simulacros"],
        ["emergencias", "emergencia", "contingencia", "refugios temporales"],
    ]),
]

# Which topics borrow a concept from which (overlap on purpose): topic index → neighbours.
NEIGHBOURS = {0: [12, 8, 9, 14], 1: [11, 5], 2: [4, 9, 10], 3: [0, 9, 15], 4: [2, 12, 0], 5: [12, 11, 2],
              6: [7, 9, 0], 7: [6, 12, 0, 15], 8: [0, 15, 3], 9: [0, 2, 10], 10: [2, 9, 12], 11: [1, 5],
              12: [0, 10, 13], 13: [12, 0], 14: [0, 3], 15: [3, 8, 7]}

GREETINGS = ["Buen día,", "Buenas tardes,", "Hola,", "Estimados,", "A quien corresponda:", "Por medio de la presente"]
OPENERS = ["solicito", "solicito se me proporcione", "requiero", "requiero copia simple de", "pido", "quisiera saber",
           "deseo conocer", "se solicita", "solicito atentamente", "me gustaría conocer", "necesito", "favor de proporcionar",
           "solicito información sobre", "deseo obtener", "pido se me entregue", "solicito me informen"]
FORMULAS = ["Con fundamento en el artículo 6o constitucional", "En ejercicio de mi derecho de acceso a la información,",
            "Con base en la Ley de Transparencia y Acceso a la Información Pública,"]
OBJECTS = ["la información relativa a", "el listado de", "la relación de", "los documentos que contengan",
           "el documento donde conste", "el número total de", "los montos de", "el desglose de",
           "la base de datos de", "los expedientes de", "copia de", "el informe sobre", "toda la información de",
           "el costo total de", "los oficios relacionados con"]
CONNECTORS = ["y", "así como", "de", "del", "relativo a", "en relación con", "incluyendo", "con", "para", "por", "sobre", "o"]
PERIODS = ["del año {y}", "de {y}", "del ejercicio fiscal {y}", "de enero a diciembre de {y}", "del periodo {y}-{y2}",
           "durante {y}", "correspondiente a {y}", "desde {y} a la fecha", "del primer trimestre de {y}",
           "de la actual administración", "de los últimos tres años"]
QUALIFIERS = ["desglosado por mes", "por dependencia", "con nombre y cargo", "con el monto total", "por colonia",
              "y el monto ejercido", "indicando fecha y monto", "con los nombres de los responsables", "por tipo",
              "en formato Excel", "en datos abiertos", "incluyendo los anexos", "con su soporte documental",
              "y el número de folio", "por municipio", "y su justificación"]
CLOSINGS = ["en versión pública", "en versión pública.", "en formato electrónico.", "a través de la Plataforma Nacional de Transparencia.",
            "Gracias.", "Saludos.", "Agradezco de antemano su atención.", "Quedo atento a su respuesta.",
            "de conformidad con la Ley de Transparencia.", "por medio electrónico.", "Muchas gracias."] + [""] * 8
NOISE = ["favor", "urgente", "ciudadano", "interés", "público", "información", "documentos", "completa", "actualizada",
         "municipio", "gobierno", "dependencia", "área", "responsable", "total", "año", "fecha", "nombre", "monto",
         "montos", "listado", "relación", "general", "oficial", "transparencia", "detalle", "número", "registro"]
DEPENDENCIAS = ["del Ayuntamiento de Guadalajara", "del Ayuntamiento de Zapopan", "del municipio de Tlaquepaque",
                "del municipio de Tonalá", "del Gobierno del Estado de Jalisco", "de la Secretaría de la Hacienda Pública",
                "de la Tesorería municipal", "de la Contraloría del Estado", "de la Oficialía Mayor",
                "del municipio de Puerto Vallarta", "del Ayuntamiento de Tlajomulco", "de la Coordinación General de Gabinete",
                "de la Dirección de Administración", "del Gobierno municipal de Lagos de Moreno"]
SUJETOS = [("Ayuntamiento de Guadalajara", 140101), ("Ayuntamiento de Zapopan", 140120), ("Ayuntamiento de San Pedro Tlaquepaque", 140098),
           ("Ayuntamiento de Tonalá", 140104), ("Ayuntamiento de Tlajomulco de Zúñiga", 140097), ("Ayuntamiento de Puerto Vallarta", 140067),
           ("Secretaría de la Hacienda Pública", 140255), ("Secretaría de Salud Jalisco", 140262), ("Secretaría de Educación Jalisco", 140259),
           ("Secretaría de Infraestructura y Obra Pública", 140261), ("Secretaría de Seguridad", 140263), ("Secretaría del Sistema de Asistencia Social", 140265),
           ("Sistema Intermunicipal de los Servicios de Agua Potable y Alcantarillado (SIAPA)", 140301), ("Secretaría de Transporte", 140266),
           ("Comisión Estatal del Agua de Jalisco", 140302), ("Congreso del Estado de Jalisco", 140001), ("Universidad de Guadalajara", 140401)]
# Topic → sujetos obligados it is more often addressed to (else any, municipalities first).
TOPIC_SUJETOS = {0: [9], 1: [8], 3: [12, 14], 4: [10], 5: [7], 6: [13], 9: [6, 15], 11: [11], 2: [15, 16]}
MEDIOS = ["Electrónico a través del sistema de solicitudes de acceso a la información de la PNT", "Correo electrónico",
          "Copia simple", "Copia certificada", "Consulta directa", "Otro medio"]
QUOTED = ["el programa \"Becas para el Bienestar\"", "la obra \"Línea 4\"", "el programa \"Jalisco Revive\"",
          "el proyecto \"Agua para Todos\"", "el programa \"Mi Pasaje\"", "el operativo \"Guardianes\""]


UNACCENTED = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuAEIOUU")


def strip_accents(text):
    """As typed without accents: á → a, ü → u; ñ stays."""
    return text.translate(UNACCENTED)


ZIPF = {}


def zipf_choice(rng, items, exponent=1.1):
    """The first forms are the most frequent (weights 1, 1/2^s, 1/3^s…)."""
    key = (len(items), exponent)
    if key not in ZIPF:
        ZIPF[key] = list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(len(items))))
    return rng.choices(items, cum_weights=ZIPF[key])[0]


def request_text(rng, topic):
    """One description of a request about `topic` (20–40 words)."""
    concepts = TOPICS[topic][1]
    picked = rng.sample(range(len(concepts)), rng.randint(3, 5))
    terms = [zipf_choice(rng, concepts[c]) for c in picked]
    if rng.random() < 0.45:  # a concept of a neighbouring topic
        other = rng.choice(NEIGHBOURS[topic])
        terms.insert(rng.randint(1, len(terms)), zipf_choice(rng, rng.choice(TOPICS[other][1])))
    if rng.random() < 0.12:  # two requests in one: a second neighbour
        other = rng.choice(NEIGHBOURS[topic])
        terms.append(zipf_choice(rng, rng.choice(TOPICS[other][1])))
    roll = rng.random()
    opener = rng.choice(OPENERS)
    if roll < 0.08:
        opener = f"{rng.choice(FORMULAS)} {opener}"
    elif roll < 0.3:
        opener = f"{rng.choice(GREETINGS)} {opener}"
    parts = [opener[0].upper() + opener[1:], rng.choice(OBJECTS), terms[0]]
    for term in terms[1:]:
        parts += [rng.choice(CONNECTORS), term]
    year = rng.randint(2018, 2025)
    if rng.random() < 0.7:
        parts.append(rng.choice(PERIODS).format(y=year, y2=min(year + rng.randint(1, 3), 2025)))
    if rng.random() < 0.35:
        parts.append(rng.choice(DEPENDENCIAS))
    if rng.random() < 0.4:
        parts.append(rng.choice(QUALIFIERS))
    if rng.random() < 0.2:
        parts.append(f"por un monto de ${rng.randint(10_000, 90_000_000):,}.{rng.randint(0, 99):02d}")
    if rng.random() < 0.04:
        parts.append("respecto de " + rng.choice(QUOTED) + ",")
    if rng.random() < 0.25:
        parts += rng.sample(NOISE, rng.randint(1, 3))
    parts.append(rng.choice(CLOSINGS))
    words = " ".join(p for p in parts if p).split()
    while len(words) < 20:  # too short: the sort of padding people write
        words += rng.choice(["Lo anterior", "para fines de", "consulta ciudadana", "y rendición de cuentas", "solicito además",
                             "la información", "más reciente", "disponible"]).split()
    words = words[:40]
    text = " ".join(words)
    if rng.random() < 0.01:  # a second paragraph inside the field (quoted CSV keeps it)
        cut = rng.randint(5, len(words) - 5)
        text = " ".join(words[:cut]) + ".\n" + " ".join(words[cut:])
    roll = rng.random()
    if roll < 0.18:
        text = strip_accents(text)
    elif roll < 0.23:
        text = text.upper()
    elif roll < 0.26:
        text = strip_accents(text).upper()
    return text


def generate(path, labels_path, rows, topics, seed):
    """Writes the CSV and the planted labels; returns the planted labels (file order)."""
    rng = random.Random(seed)
    start, days = datetime.date(2023, 1, 1), (datetime.date(2025, 12, 31) - datetime.date(2023, 1, 1)).days
    # Unequal topic sizes, as in real exports (some themes are asked about far more than others).
    weights = [1.0 / (1 + 0.15 * i) for i in range(topics)]
    records = []
    for _ in range(rows):
        topic = rng.choices(range(topics), weights)[0]
        date = start + datetime.timedelta(days=rng.randint(0, days))
        if topic in TOPIC_SUJETOS and rng.random() < 0.4:
            sujeto = SUJETOS[rng.choice(TOPIC_SUJETOS[topic])]
        else:
            sujeto = SUJETOS[min(int(rng.expovariate(0.25)), len(SUJETOS) - 1)]
        records.append((date, sujeto, request_text(rng, topic), zipf_choice(rng, MEDIOS, 2.0), topic))
    records.sort(key=lambda r: r[0])
    sequence = {}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for date, (sujeto, code), text, medio, _ in records:
            key = (code, date.year)
            sequence[key] = sequence.get(key, 0) + 1
            writer.writerow([f"{code:06d}{date.year % 100:02d}{sequence[key]:07d}", date.strftime("%d/%m/%Y"), sujeto, text, medio])
    labels = [r[4] for r in records]
    pathlib.Path(labels_path).write_text(json.dumps({"labels": labels, "topics": [TOPICS[i][0] for i in range(topics)], "seed": seed},
                                                    ensure_ascii=False))
    return labels


def run_measured(command, timeout):
    """Runs `command` as a child; returns (wall seconds, peak RSS in KB, exit code, stderr tail).
    The peak is the child's own ru_maxrss from wait4 (its process tree, nothing else of ours)."""
    err = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.005)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    err.seek(0)
    tail = err.read().decode(errors="replace")[-2000:]
    return wall, usage.ru_maxrss, process.returncode, tail


def majority(found, planted, topic_names):
    """For each found label: (size, planted topic most of its rows come from, that share)."""
    counts = {}
    for f, p in zip(found, planted):
        counts.setdefault(f, {}).setdefault(p, 0)
        counts[f][p] += 1
    result = {}
    for label, by_topic in counts.items():
        best = max(by_topic, key=by_topic.get)
        size = sum(by_topic.values())
        result[label] = (size, topic_names[best], by_topic[best] / size)
    return result


def machine():
    model = "unknown CPU"
    try:
        model = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = 0
    try:
        memory = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal:"))) / 1024 / 1024
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} cores, {memory:.0f} GB, {platform.system()} {platform.release()} ({platform.machine()})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "cocrea"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=12, help=f"planted topics (2–{len(TOPICS)})")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed, and scikit-learn's random_state")
    parser.add_argument("--output", default=None, help="Markdown report (default: stdout only)")
    parser.add_argument("--keep", default=None, metavar="DIR", nargs="?", const="",
                        help="keep the generated CSV, planted labels and every side's labels (in DIR, or the temporary directory)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds allowed to each side")
    parser.add_argument("--sklearn-spread", type=int, default=5, metavar="N",
                        help="also score scikit-learn with random_state 0…N-1 (its ARI depends on it); 0 to skip")
    args = parser.parse_args()
    if not 2 <= args.topics <= len(TOPICS):
        raise SystemExit(f"--topics must be between 2 and {len(TOPICS)}")
    from sklearn.metrics import adjusted_rand_score  # the quality measure; scikit-learn is also the baseline

    workdir = pathlib.Path(args.keep) if args.keep else pathlib.Path(tempfile.mkdtemp(prefix="cocrea-bench-topics-"))
    workdir.mkdir(parents=True, exist_ok=True)
    csv_path, planted_path = workdir / "solicitudes.csv", workdir / "solicitudes-temas.json"
    load_before = os.getloadavg()
    started = time.perf_counter()
    planted = generate(csv_path, planted_path, args.rows, args.topics, args.seed)
    generated_s = time.perf_counter() - started
    topic_names = [TOPICS[i][0] for i in range(args.topics)]
    binary = str(pathlib.Path(args.binary).resolve()) if pathlib.Path(args.binary).exists() else args.binary
    print(f"generated {args.rows} requests over {args.topics} topics in {generated_s:.1f} s: {csv_path} "
          f"({csv_path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)

    sides = [
        ("scikit-learn (TF-IDF + MiniBatchKMeans, k given)", "sklearn",
         [sys.executable, str(SKLEARN_SCRIPT), str(csv_path), str(args.topics), str(workdir / "sklearn.json"), "--seed", str(args.seed)]),
        ("Cocrea, k given", "cocrea-k",
         [binary, "bench", "topics", "--input", str(csv_path), "--topics", str(args.topics), "--labels", str(workdir / "cocrea-k.json")]),
        ("Cocrea, automatic k (`--topics 0`)", "cocrea-auto",
         [binary, "bench", "topics", "--input", str(csv_path), "--topics", "0", "--labels", str(workdir / "cocrea-auto.json")]),
    ]
    results, failures = {}, []
    for title, key, command in sides:
        out = workdir / f"{key}.json"
        out.unlink(missing_ok=True)
        try:
            wall, peak_kb, code, stderr = run_measured(command, args.timeout)
        except OSError as error:
            wall, peak_kb, code, stderr = 0.0, 0, None, f"could not start {command[0]}: {error.strerror}"
        result = dict(title=title, command=command, wall=wall, peak_kb=peak_kb, code=code, error=None)
        if code is None:
            result["error"] = stderr
        elif code != 0:
            result["error"] = f"exit status {code}: {stderr.strip()[-600:]}"
        else:
            try:
                data = json.loads(out.read_text())
                labels = data["labels"]
                if len(labels) != len(planted):
                    raise ValueError(f"{len(labels)} labels for {len(planted)} rows ({data.get('problems')} problems reported)")
                result.update(data=data, ari=adjusted_rand_score(planted, labels),
                              k=len(data.get("topics") or []) or len(set(labels) - {-1}),
                              unlabelled=sum(1 for l in labels if l == -1))
            except (OSError, ValueError, KeyError, TypeError) as error:
                result["error"] = f"unusable labels in {out.name}: {error}"
        if result["error"]:
            failures.append(title)
            print(f"{title}: FAILED — {result['error']}", file=sys.stderr)
        else:
            print(f"{title}: {wall:.2f} s, peak {peak_kb / 1024:.0f} MB, ARI {result['ari']:.4f}, k {result['k']}", file=sys.stderr)
        results[key] = result
    # MiniBatchKMeans' result depends on its random_state: the same settings with other ones, for context.
    spread = {}
    if not results["sklearn"]["error"]:
        spread[args.seed] = results["sklearn"]["ari"]
        for state in range(args.sklearn_spread):
            if state in spread:
                continue
            out = workdir / f"sklearn-state-{state}.json"
            _, _, code, stderr = run_measured([sys.executable, str(SKLEARN_SCRIPT), str(csv_path), str(args.topics), str(out),
                                               "--seed", str(state)], args.timeout)
            if code != 0:
                print(f"scikit-learn with random_state {state} failed: {stderr[-300:]}", file=sys.stderr)
                continue
            spread[state] = adjusted_rand_score(planted, json.loads(out.read_text())["labels"])
    load_after = os.getloadavg()

    base = results["sklearn"]
    lines = [
        "## Importing and clustering access-to-information requests: Cocrea vs scikit-learn",
        "",
        f"`python3 Benchmarks/request_topics.py --binary {args.binary} --rows {args.rows} --topics {args.topics} --seed {args.seed}` — "
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}; Python {platform.python_version()}, "
        f"scikit-learn {__import__('sklearn').__version__}. Load average (1 min) {load_before[0]:.2f} at the start and "
        f"{load_after[0]:.2f} at the end.",
        "",
        f"{args.rows:,} synthetic requests over {args.topics} planted topics (seed {args.seed}; generated in {generated_s:.1f} s, "
        f"CSV {csv_path.stat().st_size / 1e6:.1f} MB, the Plataforma Nacional de Transparencia's columns). Each side is its own process, "
        "run one after the other on the same file: wall time from spawn to exit (process start, reading the CSV, clustering, "
        "writing the labels; for scikit-learn also starting Python and importing it), peak memory = the process's own "
        "`ru_maxrss` (wait4). Quality: adjusted Rand index of each side's labels against the planted topics, every row.",
        "",
        "| side | seconds (wall) | scikit-learn's time / this | peak MB | ARI | k | read / cluster (own seconds) | problems |",
        "|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for key in ("cocrea-k", "cocrea-auto", "sklearn"):
        r = results[key]
        if r["error"]:
            lines.append(f"| {r['title']} | not run — {r['error'].splitlines()[0][:160]} | – | – | – | – | – | – |")
            continue
        own = r["data"].get("seconds", {})
        ratio = f"{base['wall'] / r['wall']:.2f}×" if not base["error"] else "–"
        lines.append(f"| {r['title']} | {r['wall']:.2f} | {ratio} | {r['peak_kb'] / 1024:.0f} | {r['ari']:.4f} | {r['k']} | "
                     f"{own.get('read', 0):.2f} / {own.get('cluster', 0):.2f} s | {r['data'].get('problems', 0)} |")
    lines.append("")
    given = results["cocrea-k"]
    if given["error"] or base["error"]:
        lines.append("**Targets** (k given: ARI ≥ scikit-learn's and faster): not evaluated — "
                     + ("Cocrea" if given["error"] else "scikit-learn") + " did not run.")
    else:
        ari_ok, fast_ok = given["ari"] >= base["ari"], given["wall"] < base["wall"]
        lines.append(f"**Targets** (k given): ARI ≥ scikit-learn's — {given['ari']:.4f} vs {base['ari']:.4f} → "
                     f"**{'met' if ari_ok else 'NOT met'}**; faster — {given['wall']:.2f} s vs {base['wall']:.2f} s "
                     f"({base['wall'] / given['wall']:.2f}×) → **{'met' if fast_ok else 'NOT met'}**.")
        auto = results["cocrea-auto"]
        if not auto["error"]:
            lines.append("")
            lines.append(f"Automatic k: Cocrea found {auto['k']} topics (planted: {args.topics}); ARI {auto['ari']:.4f} "
                         f"({'≥' if auto['ari'] >= base['ari'] else '<'} scikit-learn's with k given), "
                         f"{base['wall'] / auto['wall']:.2f}× scikit-learn's speed.")
    if len(spread) > 1:
        values = sorted(spread.values())
        middle = len(values) // 2
        median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
        lines += ["", f"scikit-learn's ARI depends on MiniBatchKMeans' random_state: with {', '.join(map(str, sorted(spread)))} "
                      f"on the same file and settings it ranges {values[0]:.4f}–{values[-1]:.4f} (median {median:.4f}; the row above "
                      f"used random_state = the seed, {args.seed})."
                  + ("" if given["error"] else f" Cocrea's ARI with k given is {'≥' if given['ari'] >= median else '<'} that median "
                                                f"and {'≥' if given['ari'] >= values[-1] else '<'} the best of them.")]
    for key in ("cocrea-k", "cocrea-auto", "sklearn"):
        r = results[key]
        if r["error"]:
            continue
        found = majority(r["data"]["labels"], planted, topic_names)
        # A topic's "label" is its number in the labels, or its name (then its number is its position).
        described = {}
        for position, topic in enumerate(r["data"].get("topics") or []):
            label = topic.get("label")
            number = label if isinstance(label, int) else position
            described[number] = ("" if isinstance(label, int) else f"«{label}»: ") + ", ".join(map(str, (topic.get("terms") or [])[:6]))
        lines += ["", f"<details><summary>{r['title']}: topics found (size, most common planted topic and its share, first terms)</summary>", "",
                  "| label | size | planted topic (share) | topic found |", "|---:|---:|---|---|"]
        for label in sorted(found, key=lambda l: -found[l][0]):
            size, name, share = found[label]
            lines.append(f"| {label} | {size:,} | {name} ({share:.0%}) | {described.get(label, '–' if label == -1 else '')} |")
        lines += ["", "</details>"]
    lines += ["", "Planted topics and their sizes: " + "; ".join(f"{name} {planted.count(i):,}" for i, name in enumerate(topic_names)) + "."]
    if args.keep is not None:
        lines += ["", f"Generated files kept in `{workdir}`."]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.output:
        pathlib.Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(args.output).write_text(report)
    if args.keep is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
