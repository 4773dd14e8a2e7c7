// Brazilian Portuguese defaults, tratando por "você". Words only; the layout is in index.ts.
// Product names are introduced with "o produto" so sentences read right whatever the name's gender.
// Opt-out keyword stays STOP: it is the one Twilio handles everywhere without extra setup.
import type { LocaleCopy } from "./index";

const FIRST_NAME = "{% if customer.first_name %}, {{ customer.first_name }}{% endif %}";
const TRACKING_LINK = "{% if fulfillment.tracking_url %}{{ fulfillment.tracking_url }}{% else %}{{ order.status_url }}{% endif %}";
const OPT_OUT = "Responda STOP para sair";

const ptBR: LocaleCopy = {
  locale: "pt-BR",
  common: {
    greeting: `Olá${FIRST_NAME}!`,
    quantity: "Qtd.",
    total: "Total",
    carrier: "Transportadora",
    trackingNumber: "Código de rastreio",
    estimatedDelivery: "Previsão de entrega",
    status: "Status",
    yourCode: "Seu cupom",
    codeTerms: "Válido até {{ discount.expires_at }}. Uso único.",
    careHeading: "Como cuidar",
    surveyLow: "Muito ruim",
    surveyHigh: "Excelente",
    from: "De",
    email: "E-mail",
    phone: "Telefone",
    footerTransactional: "Você está recebendo este e-mail porque fez um pedido em {{ shop.name }}.",
    footerMarketing: "Você está recebendo este e-mail porque aceitou receber novidades de {{ shop.name }}.",
    footerMerchant: "O Avisa enviou este alerta para a equipe de {{ shop.name }}.",
    unsubscribe: "Cancelar inscrição",
  },

  email: {
    order_confirmation: {
      subject: "Pedido {{ order.name }} confirmado. Obrigado pela compra!",
      preview: "Recebemos seu pedido e já estamos preparando tudo.",
      heading: "Obrigado pelo seu pedido!",
      body: "Recebemos seu pedido {{ order.name }} e já estamos preparando tudo. Assim que ele for enviado, a gente avisa você.",
      button: "Ver meu pedido",
      after: "Ficou com alguma dúvida sobre o pedido? Escreva para {{ shop.email }}.",
    },
    shipping_update: {
      subject: "Seu pedido {{ order.name }} está a caminho",
      preview: "Acompanhe a entrega{% if fulfillment.estimated_delivery %}. Previsão: {{ fulfillment.estimated_delivery }}{% endif %}.",
      heading: "Seu pedido está a caminho!",
      body:
        "Boa notícia: seu pedido {{ order.name }} foi enviado{% if fulfillment.tracking_company %} via {{ fulfillment.tracking_company }}{% endif %}." +
        "{% if fulfillment.estimated_delivery %} A previsão de entrega é {{ fulfillment.estimated_delivery }}.{% endif %}",
      button: "Rastrear meu pedido",
    },
    out_for_delivery: {
      subject: "Seu pedido {{ order.name }} chega hoje",
      preview: "Seu pacote saiu para entrega e deve chegar hoje.",
      heading: "Seu pedido chega hoje!",
      body:
        "Seu pedido {{ order.name }} saiu para entrega e deve chegar hoje.\n\n" +
        "Não vai estar em casa? Na página de rastreamento da transportadora você vê as opções de entrega.",
      button: "Rastrear meu pedido",
    },
    delivered: {
      subject: "Seu pedido {{ order.name }} foi entregue",
      preview: "Seu pacote chegou. Esperamos que você adore!",
      heading: "Seu pedido chegou!",
      body:
        "Seu pedido {{ order.name }} foi entregue. Esperamos que você adore tudo!\n\n" +
        "Não encontrou o pacote? Dê uma olhada perto da porta, com os vizinhos ou na portaria do prédio. " +
        "Se ainda assim ele não aparecer, escreva para {{ shop.email }} que a gente ajuda.",
      button: "Ver meu pedido",
    },
    delivery_problem: {
      subject: "Tivemos um problema na entrega do pedido {{ order.name }}",
      preview: "Pedimos desculpas. Veja o que acontece agora e como podemos ajudar.",
      heading: "Desculpe, a entrega não saiu como esperado",
      body:
        "Pedimos desculpas: a transportadora{% if fulfillment.tracking_company %} ({{ fulfillment.tracking_company }}){% endif %} não conseguiu entregar seu pedido {{ order.name }}." +
        "{% if fulfillment.status %} Última atualização: {{ fulfillment.status }}.{% endif %}\n\n" +
        "O que acontece agora: normalmente a transportadora tenta de novo no próximo dia útil. Se não der certo, " +
        "o pacote fica disponível para retirada em um ponto próximo. A página de rastreamento mostra onde e até quando.\n\n" +
        "Prefere outro endereço ou horário, ou acha que o pacote se perdeu? Escreva para {{ shop.email }}" +
        "{% if shop.phone %} ou ligue para {{ shop.phone }}{% endif %} e a gente resolve com a transportadora para você.",
      button: "Acompanhar a entrega",
    },
    care_instructions: {
      subject: "Dicas de cuidado: {{ product.title }}",
      preview: "Algumas dicas simples para durar muitos anos.",
      heading: "Feito para durar",
      body: "Agora que o produto {{ product.title }} chegou, separamos algumas dicas simples para ele continuar lindo por muitos anos.",
      button: "Ver o produto",
      after: "Ficou com alguma dúvida sobre os cuidados? Escreva para {{ shop.email }}.",
    },
    cart_recovery: {
      subject: "Você esqueceu algo no carrinho",
      preview: "Guardamos seus itens. Finalize a compra quando quiser.",
      heading: "Ainda pensando?",
      body: "Você deixou alguns itens no seu carrinho. Guardamos tudo para você continuar exatamente de onde parou.",
      button: "Finalizar compra",
      after: "Ficou com dúvida sobre algum produto, tamanho ou frete? Escreva para {{ shop.email }}.",
    },
    cart_recovery_discount: {
      subject: "{{ discount.value }} de desconto no seu carrinho, só para você",
      preview: "Use o cupom {{ discount.code }} até {{ discount.expires_at }}.",
      heading: "Um presente: {{ discount.value }} de desconto",
      body: "Seu carrinho ainda está esperando por você. Use este cupom ao finalizar a compra e ganhe {{ discount.value }} de desconto.",
      button: "Finalizar compra",
    },
    review_request: {
      subject: "O que você achou da sua compra?",
      preview: "Avaliar leva só um minuto e ajuda outros clientes a escolher.",
      heading: "Conta pra gente: o que achou?",
      body:
        "Já faz alguns dias que o produto {{ product.title }} chegou, e queremos muito saber sua opinião. " +
        "Uma avaliação rápida ajuda outros clientes a escolher e ajuda a gente a melhorar.",
      button: "Avaliar o produto",
    },
    review_reminder: {
      subject: "Tem um minutinho para avaliar sua compra?",
      preview: "Sua opinião sincera ajuda muito. Leva só um minuto.",
      heading: "Tem um minutinho?",
      body:
        "Ainda queremos saber o que você achou do produto {{ product.title }}. Seja boa ou ruim, sua opinião sincera " +
        "ajuda outros clientes e ajuda a gente a melhorar. Leva só um minuto.",
      button: "Avaliar o produto",
    },
    satisfaction_survey: {
      subject: "Uma pergunta rápida sobre o pedido {{ order.name }}",
      preview: "Que nota você dá para sua experiência? É só tocar em um número.",
      heading: "Como a gente se saiu?",
      body: "Que nota você dá para sua experiência com o pedido {{ order.name }}? Toque em um número: 1 é muito ruim e 5 é excelente.",
    },
    merchant_alert: {
      subject: "Nova mensagem de {{ contact_request.name }}",
      preview: "{{ contact_request.message | truncate: 90 }}",
      heading: "Você tem uma nova mensagem",
      body: "{{ contact_request.name }} escreveu pelo formulário de contato da sua loja.",
      button: "Responder no Avisa",
    },
  },

  sms: {
    order_confirmation: `{{ shop.name }}: Obrigado${FIRST_NAME}! Seu pedido {{ order.name }} foi confirmado. Avisaremos quando for enviado: {{ order.status_url }}`,
    shipping_update: `{{ shop.name }}: Seu pedido {{ order.name }} está a caminho!{% if fulfillment.estimated_delivery %} Previsão: {{ fulfillment.estimated_delivery }}.{% endif %} Acompanhe: ${TRACKING_LINK}`,
    out_for_delivery: `{{ shop.name }}: Seu pedido {{ order.name }} saiu para entrega e chega hoje. Acompanhe: ${TRACKING_LINK}`,
    delivered: "{{ shop.name }}: Seu pedido {{ order.name }} foi entregue. Aproveite! Não encontrou? Fale com a gente: {{ shop.email }}",
    delivery_problem: `{{ shop.name }}: Desculpe, a entrega do pedido {{ order.name }} falhou. Haverá nova tentativa. Detalhes: ${TRACKING_LINK}`,
    care_instructions: `{{ shop.name }}: Dicas de cuidado ({{ product.title }}): {{ product.url }} ${OPT_OUT}`,
    cart_recovery: `{{ shop.name }}: Guardamos seu carrinho. Finalize sua compra aqui: {{ checkout.recovery_url }} ${OPT_OUT}`,
    cart_recovery_discount: `{{ shop.name }}: {{ discount.value }} off com o cupom {{ discount.code }} até {{ discount.expires_at }}: {{ checkout.recovery_url }} ${OPT_OUT}`,
    review_request: `{{ shop.name }}: Gostou do produto {{ product.title }}? Avalie: {{ review.url }} ${OPT_OUT}`,
    review_reminder: `{{ shop.name }}: Tem um minutinho para avaliar sua compra? {{ review.url }} ${OPT_OUT}`,
    satisfaction_survey: `{{ shop.name }}: De 1 a 5, que nota você dá para o pedido {{ order.name }}? Envie só o número. ${OPT_OUT}`,
    merchant_alert: "{{ shop.name }}: Nova mensagem de {{ contact_request.name }}. Leia e responda: {{ contact_request.url }}",
  },

  whatsapp: {
    order_confirmation:
      `*{{ shop.name }}*\nObrigado pelo seu pedido${FIRST_NAME}! 🎉\n\n` +
      "Pedido {{ order.name }} · {{ order.total }}\n{% for item in order.items %}• {{ item.title }} × {{ item.quantity }}\n{% endfor %}\n" +
      "Assim que ele for enviado, a gente avisa por aqui.\nVer seu pedido: {{ order.status_url }}",
    shipping_update:
      "*{{ shop.name }}*\nSeu pedido {{ order.name }} está a caminho! 📦\n" +
      "{% if fulfillment.tracking_company %}\nTransportadora: {{ fulfillment.tracking_company }}{% endif %}" +
      "{% if fulfillment.estimated_delivery %}\nPrevisão de entrega: {{ fulfillment.estimated_delivery }}{% endif %}\n\n" +
      `Acompanhe aqui: ${TRACKING_LINK}`,
    out_for_delivery: `*{{ shop.name }}*\nSeu pedido {{ order.name }} saiu para entrega e deve chegar hoje. 🚚\n\nAcompanhe aqui: ${TRACKING_LINK}`,
    delivered:
      "*{{ shop.name }}*\nSeu pedido {{ order.name }} foi entregue. Esperamos que você adore!\n\n" +
      "Não encontrou o pacote? Responda esta mensagem que a gente ajuda.",
    delivery_problem:
      "*{{ shop.name }}*\nPedimos desculpas: a transportadora não conseguiu entregar seu pedido {{ order.name }}" +
      "{% if fulfillment.status %} ({{ fulfillment.status }}){% endif %}.\n\n" +
      "Normalmente ela tenta de novo no próximo dia útil. Se não der certo, o pacote fica para retirada em um ponto próximo.\n" +
      `Detalhes: ${TRACKING_LINK}\n\n` +
      "Precisa de outro endereço ou horário? Responda aqui e a gente resolve com a transportadora.",
    care_instructions:
      "*{{ shop.name }}*\nDicas de cuidado: {{ product.title }}\n\n{{ care.instructions }}\n\n" +
      `Ficou com dúvida? É só responder esta mensagem.\n\n_${OPT_OUT}_`,
    cart_recovery:
      `*{{ shop.name }}*\nOi${FIRST_NAME}, você deixou alguns itens no carrinho:\n` +
      "{% for item in checkout.items %}• {{ item.title }}\n{% endfor %}\n" +
      `Guardamos tudo para você. Finalize sua compra: {{ checkout.recovery_url }}\n\n_${OPT_OUT}_`,
    cart_recovery_discount:
      "*{{ shop.name }}*\nSeu carrinho ainda está esperando, então aqui vai {{ discount.value }} de desconto. 🎁\n\n" +
      "Cupom: *{{ discount.code }}*\nVálido até {{ discount.expires_at }}.\n\n" +
      `Finalize sua compra: {{ checkout.recovery_url }}\n\n_${OPT_OUT}_`,
    review_request:
      "*{{ shop.name }}*\nO que você achou do produto {{ product.title }}? ⭐\n\n" +
      `Uma avaliação rápida ajuda outros clientes a escolher: {{ review.url }}\n\n_${OPT_OUT}_`,
    review_reminder:
      "*{{ shop.name }}*\nTem um minutinho para avaliar o produto {{ product.title }}? Sua opinião sincera ajuda muito.\n\n" +
      `{{ review.url }}\n\n_${OPT_OUT}_`,
    satisfaction_survey:
      "*{{ shop.name }}*\nQue nota você dá para sua experiência com o pedido {{ order.name }}?\n\n" +
      `Responda com um número de 1 (muito ruim) a 5 (excelente).\n\n_${OPT_OUT}_`,
  },
};

export default ptBR;
