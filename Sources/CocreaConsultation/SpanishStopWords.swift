/// Words that say nothing about what a request is about. Written as people spell them; `SpanishText`
/// folds them once, so "información" and "informacion" are both dropped.
enum SpanishStopWords {
    /// Snowball's Spanish stop list (snowballstem.org/algorithms/spanish/stop.txt; the same words as
    /// PostgreSQL's `spanish.stop`), in its order. Words shorter than three letters are left out: the
    /// tokenizer drops those anyway.
    static let snowball = """
        del que los las por para con una sus como más pero este porque esta entre cuando muy sin sobre también \
        hasta hay donde quien desde todo nos durante todos uno les contra otros ese eso ante ellos esto antes \
        algunos qué unos otro otras otra tanto esa estos mucho quienes nada muchos cual poco ella estar estas \
        algunas algo nosotros mis tus ellas nosotras vosotros vosotras mío mía míos mías tuyo tuya tuyos tuyas \
        suyo suya suyos suyas nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos esas \
        estoy estás está estamos estáis están esté estés estemos estéis estén estaré estarás estará estaremos \
        estaréis estarán estaría estarías estaríamos estaríais estarían estaba estabas estábamos estabais \
        estaban estuve estuviste estuvo estuvimos estuvisteis estuvieron estuviera estuvieras estuviéramos \
        estuvierais estuvieran estuviese estuvieses estuviésemos estuvieseis estuviesen estando estado estada \
        estados estadas estad has hemos habéis han haya hayas hayamos hayáis hayan habré habrás habrá habremos \
        habréis habrán habría habrías habríamos habríais habrían había habías habíamos habíais habían hube \
        hubiste hubo hubimos hubisteis hubieron hubiera hubieras hubiéramos hubierais hubieran hubiese hubieses \
        hubiésemos hubieseis hubiesen habiendo habido habida habidos habidas soy eres somos sois son sea seas \
        seamos seáis sean seré serás será seremos seréis serán sería serías seríamos seríais serían era eras \
        éramos erais eran fui fuiste fue fuimos fuisteis fueron fuera fueras fuéramos fuerais fueran fuese \
        fueses fuésemos fueseis fuesen sintiendo sentido sentida sentidos sentidas siente sentid tengo tienes \
        tiene tenemos tenéis tienen tenga tengas tengamos tengáis tengan tendré tendrás tendrá tendremos \
        tendréis tendrán tendría tendrías tendríamos tendríais tendrían tenía tenías teníamos teníais tenían \
        tuve tuviste tuvo tuvimos tuvisteis tuvieron tuviera tuvieras tuviéramos tuvierais tuvieran tuviese \
        tuvieses tuviésemos tuvieseis tuviesen teniendo tenido tenida tenidos tenidas tened
        """

    /// Function words Snowball's list lacks that are frequent in requests.
    static let function = """
        toda todas cada cual cuales cuál cuáles cuanto cuantos cuanta cuantas cuánto cuántos cuánta cuántas \
        dicho dicha dichos dichas mismo misma mismos mismas así aún solo sólo según tal tales bien usted ustedes \
        ser haber tener hacer puede pueden podría podrían asimismo además respecto acerca referente relación \
        relativo relativa relativos relativas siguiente siguientes actual actualmente etc
        """

    /// The boilerplate of an access-to-information request: asking, the legal formula, thanking, the
    /// delivery channel, and the nouns and periods any request may ask for ("el número total",
    /// "de los últimos años"). Inflections are listed because stop words are removed before stemming.
    static let requestBoilerplate = """
        solicito solicita solicitamos solicitar solicitó solicitud solicitudes requiero requerimos requiere \
        requerir quisiera quisiéramos quiero queremos deseo deseamos desearía gustaría necesito necesitamos \
        pido pedimos obtener favor proporcione proporcionen proporcionar entregue entreguen entregar informen \
        informar información informaciones saber conocer copia copias versión electrónica electrónico correo \
        vía través plataforma pnt transparencia acceso derecho ley fundamento artículo constitucional \
        gracias muchas agradezco agradecemos agradecería antemano atentamente quedo atento atenta respuesta \
        saludos saludo cordial cordiales buen buenas buenos días tardes noches hola estimado estimada \
        estimados señor señora presente corresponda sírvase manera forma documento documentos listado \
        lista desglose desglosado incluyendo número total nombre nombres año años mes meses periodo fecha \
        fechas último últimos última últimas
        """

    static let all: [String] = [snowball, function, requestBoilerplate].flatMap { $0.split(separator: " ").map(String.init) }
}
