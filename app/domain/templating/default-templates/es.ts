// Spanish defaults: neutral Latin American Spanish, tuteo. Words only; the layout is in index.ts.
// Opt-out keyword stays STOP: it is the one Twilio handles everywhere without extra setup.
import type { LocaleCopy } from "./index";

const FIRST_NAME = "{% if customer.first_name %}, {{ customer.first_name }}{% endif %}";
const TRACKING_LINK = "{% if fulfillment.tracking_url %}{{ fulfillment.tracking_url }}{% else %}{{ order.status_url }}{% endif %}";
const OPT_OUT = "Responde STOP para darte de baja";

const es: LocaleCopy = {
  locale: "es",
  common: {
    greeting: `¡Hola${FIRST_NAME}!`,
    quantity: "Cant.",
    total: "Total",
    carrier: "Transportista",
    trackingNumber: "Número de seguimiento",
    estimatedDelivery: "Entrega estimada",
    status: "Estado",
    yourCode: "Tu código",
    codeTerms: "Válido hasta el {{ discount.expires_at }}. Un solo uso.",
    careHeading: "Cómo cuidarlo",
    surveyLow: "Muy mala",
    surveyHigh: "Excelente",
    from: "De",
    email: "Correo",
    phone: "Teléfono",
    footerTransactional: "Recibes este correo porque hiciste un pedido en {{ shop.name }}.",
    footerMarketing: "Recibes este correo porque aceptaste recibir novedades de {{ shop.name }}.",
    footerMerchant: "Avisa envió esta alerta al equipo de {{ shop.name }}.",
    unsubscribe: "Darme de baja",
  },

  email: {
    order_confirmation: {
      subject: "¡Gracias por tu compra! Pedido {{ order.name }} confirmado",
      preview: "Recibimos tu pedido y ya lo estamos preparando.",
      heading: "¡Gracias por tu pedido!",
      body: "Recibimos tu pedido {{ order.name }} y ya lo estamos preparando. Te avisaremos en cuanto salga.",
      button: "Ver mi pedido",
      after: "¿Tienes alguna pregunta sobre tu pedido? Escríbenos a {{ shop.email }}.",
    },
    shipping_update: {
      subject: "Tu pedido {{ order.name }} va en camino",
      preview: "Rastrea tu paquete{% if fulfillment.estimated_delivery %}. Entrega estimada: {{ fulfillment.estimated_delivery }}{% endif %}.",
      heading: "¡Tu pedido va en camino!",
      body:
        "Buenas noticias: tu pedido {{ order.name }} ya salió{% if fulfillment.tracking_company %} con {{ fulfillment.tracking_company }}{% endif %}." +
        "{% if fulfillment.estimated_delivery %} La entrega estimada es el {{ fulfillment.estimated_delivery }}.{% endif %}",
      button: "Rastrear mi paquete",
    },
    out_for_delivery: {
      subject: "Tu pedido {{ order.name }} llega hoy",
      preview: "Tu paquete ya está en ruta de entrega y debería llegar hoy.",
      heading: "¡Tu pedido llega hoy!",
      body:
        "Tu pedido {{ order.name }} ya está en ruta de entrega y debería llegar hoy.\n\n" +
        "¿No vas a estar en casa? En la página de seguimiento del transportista puedes ver tus opciones de entrega.",
      button: "Rastrear mi paquete",
    },
    delivered: {
      subject: "Tu pedido {{ order.name }} fue entregado",
      preview: "Tu paquete ya llegó. ¡Esperamos que te encante!",
      heading: "¡Tu pedido ya llegó!",
      body:
        "Tu pedido {{ order.name }} fue entregado. ¡Esperamos que te encante todo!\n\n" +
        "¿No encuentras el paquete? Revisa cerca de tu puerta, con tus vecinos o en la recepción de tu edificio. " +
        "Si aun así no aparece, escríbenos a {{ shop.email }} y te ayudamos.",
      button: "Ver mi pedido",
    },
    delivery_problem: {
      subject: "Hubo un problema con la entrega de tu pedido {{ order.name }}",
      preview: "Lo sentimos. Te contamos qué pasará ahora y cómo podemos ayudarte.",
      heading: "Lo sentimos, la entrega no salió como esperábamos",
      body:
        "Lo sentimos: {{ fulfillment.tracking_company | default: \"el transportista\" }} no pudo entregar tu pedido {{ order.name }}." +
        "{% if fulfillment.status %} Su última actualización: {{ fulfillment.status }}.{% endif %}\n\n" +
        "Qué pasará ahora: normalmente el transportista lo vuelve a intentar el siguiente día hábil. Si tampoco lo logra, " +
        "dejará tu paquete en un punto de recogida cercano. En la página de seguimiento verás dónde y hasta cuándo puedes recogerlo.\n\n" +
        "¿Prefieres otra dirección u horario, o crees que el paquete se perdió? Escríbenos a {{ shop.email }}" +
        "{% if shop.phone %} o llámanos al {{ shop.phone }}{% endif %} y lo resolvemos con el transportista por ti.",
      button: "Ver el estado del envío",
    },
    care_instructions: {
      subject: "Cómo cuidar tu {{ product.title }}",
      preview: "Unos consejos sencillos para que te dure muchos años.",
      heading: "Para que te dure muchos años",
      body: "Ahora que ya tienes tu {{ product.title }}, te compartimos unos consejos sencillos para que se mantenga como el primer día.",
      button: "Ver el producto",
      after: "¿Tienes alguna duda sobre su cuidado? Escríbenos a {{ shop.email }}.",
    },
    cart_recovery: {
      subject: "Dejaste algo en tu carrito",
      preview: "Guardamos tus productos. Termina tu compra cuando quieras.",
      heading: "¿Lo sigues pensando?",
      body: "Dejaste algunos productos en tu carrito de {{ shop.name }}. Te los guardamos para que retomes tu compra justo donde la dejaste.",
      button: "Terminar mi compra",
      after: "¿Tienes dudas sobre algún producto, la talla o el envío? Escríbenos a {{ shop.email }}.",
    },
    cart_recovery_discount: {
      subject: "{{ discount.value }} de descuento en tu carrito, solo para ti",
      preview: "Usa el código {{ discount.code }} antes del {{ discount.expires_at }}.",
      heading: "Te regalamos {{ discount.value }} de descuento",
      body: "Tu carrito sigue esperándote y queremos ayudarte a completarlo. Usa este código al pagar y obtén {{ discount.value }} de descuento.",
      button: "Terminar mi compra",
    },
    review_request: {
      subject: "¿Qué te pareció tu {{ product.title }}?",
      preview: "Dejar una reseña toma un minuto y ayuda a otros clientes a elegir.",
      heading: "¿Qué tal tu {{ product.title }}?",
      body:
        "Ya llevas un tiempo con tu {{ product.title }} y nos encantaría saber qué opinas. " +
        "Una reseña rápida ayuda a otros clientes a elegir, y a nosotros a seguir mejorando.",
      button: "Escribir una reseña",
    },
    review_reminder: {
      subject: "¿Tienes un minuto para reseñar tu {{ product.title }}?",
      preview: "Tu opinión sincera nos ayuda mucho. Solo toma un minuto.",
      heading: "¿Tienes un minuto?",
      body:
        "Todavía nos encantaría saber qué opinas de tu {{ product.title }}. Buena o mala, tu opinión sincera ayuda " +
        "a otros clientes y nos ayuda a mejorar. Solo toma un minuto.",
      button: "Escribir una reseña",
    },
    satisfaction_survey: {
      subject: "Una pregunta rápida sobre tu pedido {{ order.name }}",
      preview: "¿Cómo calificarías tu experiencia? Solo elige un número.",
      heading: "¿Cómo lo hicimos?",
      body: "¿Cómo calificarías tu experiencia con el pedido {{ order.name }}? Elige un número: 1 es muy mala y 5 es excelente.",
    },
    merchant_alert: {
      subject: "Nuevo mensaje de {{ contact_request.name }}",
      preview: "{{ contact_request.message | truncate: 90 }}",
      heading: "Tienes un mensaje nuevo",
      body: "{{ contact_request.name }} te escribió desde el formulario de contacto de tu tienda.",
      button: "Responder en Avisa",
    },
  },

  sms: {
    order_confirmation: `{{ shop.name }}: ¡Gracias${FIRST_NAME}! Tu pedido {{ order.name }} está confirmado. Te avisaremos cuando salga: {{ order.status_url }}`,
    shipping_update: `{{ shop.name }}: ¡Tu pedido {{ order.name }} va en camino!{% if fulfillment.estimated_delivery %} Llega aprox. el {{ fulfillment.estimated_delivery }}.{% endif %} Rastréalo: ${TRACKING_LINK}`,
    out_for_delivery: `{{ shop.name }}: Tu pedido {{ order.name }} está en ruta de entrega y llega hoy. Rastréalo: ${TRACKING_LINK}`,
    delivered: "{{ shop.name }}: Tu pedido {{ order.name }} fue entregado. ¡Que lo disfrutes! ¿No lo encuentras? Escríbenos a {{ shop.email }}",
    delivery_problem: `{{ shop.name }}: Lo sentimos, no se pudo entregar tu pedido {{ order.name }}. Habrá otro intento. Detalles: ${TRACKING_LINK}`,
    care_instructions: `{{ shop.name }}: Así puedes cuidar tu {{ product.title }}: {{ product.url }} ${OPT_OUT}`,
    cart_recovery: `{{ shop.name }}: Guardamos tu carrito. Termina tu compra aquí: {{ checkout.recovery_url }} ${OPT_OUT}`,
    cart_recovery_discount: `{{ shop.name }}: {{ discount.value }} de descuento en tu carrito con {{ discount.code }}, hasta el {{ discount.expires_at }}: {{ checkout.recovery_url }} ${OPT_OUT}`,
    review_request: `{{ shop.name }}: Cuéntanos qué tal tu {{ product.title }}: {{ review.url }} ${OPT_OUT}`,
    review_reminder: `{{ shop.name }}: ¿Un minuto para reseñar tu {{ product.title }}? {{ review.url }} ${OPT_OUT}`,
    satisfaction_survey: `{{ shop.name }}: Del 1 al 5, ¿cómo calificarías tu pedido {{ order.name }}? Envíanos solo el número. ${OPT_OUT}`,
    merchant_alert: "{{ shop.name }}: Nuevo mensaje de {{ contact_request.name }}. Léelo y responde: {{ contact_request.url }}",
  },

  whatsapp: {
    order_confirmation:
      `*{{ shop.name }}*\n¡Gracias por tu pedido${FIRST_NAME}! 🎉\n\n` +
      "Pedido {{ order.name }} · {{ order.total }}\n{% for item in order.items %}• {{ item.title }} × {{ item.quantity }}\n{% endfor %}\n" +
      "Te escribiremos por aquí en cuanto salga.\nVer tu pedido: {{ order.status_url }}",
    shipping_update:
      "*{{ shop.name }}*\n¡Tu pedido {{ order.name }} va en camino! 📦\n" +
      "{% if fulfillment.tracking_company %}\nTransportista: {{ fulfillment.tracking_company }}{% endif %}" +
      "{% if fulfillment.estimated_delivery %}\nEntrega estimada: {{ fulfillment.estimated_delivery }}{% endif %}\n\n" +
      `Rastréalo aquí: ${TRACKING_LINK}`,
    out_for_delivery: `*{{ shop.name }}*\nTu pedido {{ order.name }} ya está en ruta de entrega y debería llegar hoy. 🚚\n\nRastréalo aquí: ${TRACKING_LINK}`,
    delivered:
      "*{{ shop.name }}*\nTu pedido {{ order.name }} fue entregado. ¡Esperamos que te encante!\n\n" +
      "¿No lo encuentras? Responde a este mensaje y te ayudamos.",
    delivery_problem:
      "*{{ shop.name }}*\nLo sentimos: el transportista no pudo entregar tu pedido {{ order.name }}" +
      "{% if fulfillment.status %} ({{ fulfillment.status }}){% endif %}.\n\n" +
      "Normalmente lo vuelve a intentar el siguiente día hábil. Si no lo logra, lo dejará en un punto de recogida cercano.\n" +
      `Detalles: ${TRACKING_LINK}\n\n` +
      "¿Necesitas otra dirección u horario? Responde aquí y lo resolvemos con el transportista.",
    care_instructions:
      "*{{ shop.name }}*\nCómo cuidar tu {{ product.title }}:\n\n{{ care.instructions }}\n\n" +
      `¿Tienes dudas? Responde a este mensaje.\n\n_${OPT_OUT}_`,
    cart_recovery:
      `*{{ shop.name }}*\nHola${FIRST_NAME}, dejaste algunos productos en tu carrito:\n` +
      "{% for item in checkout.items %}• {{ item.title }}\n{% endfor %}\n" +
      `Te los guardamos. Termina tu compra aquí: {{ checkout.recovery_url }}\n\n_${OPT_OUT}_`,
    cart_recovery_discount:
      "*{{ shop.name }}*\nTu carrito sigue esperándote, así que te regalamos {{ discount.value }} de descuento. 🎁\n\n" +
      "Código: *{{ discount.code }}*\nVálido hasta el {{ discount.expires_at }}.\n\n" +
      `Termina tu compra: {{ checkout.recovery_url }}\n\n_${OPT_OUT}_`,
    review_request:
      "*{{ shop.name }}*\n¿Qué te pareció tu {{ product.title }}? ⭐\n\n" +
      `Una reseña rápida ayuda a otros clientes a elegir: {{ review.url }}\n\n_${OPT_OUT}_`,
    review_reminder:
      "*{{ shop.name }}*\n¿Tienes un minuto para reseñar tu {{ product.title }}? Tu opinión sincera nos ayuda mucho.\n\n" +
      `{{ review.url }}\n\n_${OPT_OUT}_`,
    satisfaction_survey:
      "*{{ shop.name }}*\n¿Cómo calificarías tu experiencia con el pedido {{ order.name }}?\n\n" +
      `Responde con un número del 1 (muy mala) al 5 (excelente).\n\n_${OPT_OUT}_`,
  },
};

export default es;
