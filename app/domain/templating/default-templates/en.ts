// English defaults. Words only; the layout is in index.ts. SMS texts start with the shop's
// name, stay within two segments with sample data, and marketing ones end with the opt-out.
import type { LocaleCopy } from "./index";

const FIRST_NAME = "{% if customer.first_name %} {{ customer.first_name }}{% endif %}";
const TRACKING_LINK = "{% if fulfillment.tracking_url %}{{ fulfillment.tracking_url }}{% else %}{{ order.status_url }}{% endif %}";
const OPT_OUT = "Reply STOP to opt out";

const en: LocaleCopy = {
  locale: "en",
  common: {
    greeting: `Hi${FIRST_NAME},`,
    quantity: "Qty",
    total: "Total",
    carrier: "Carrier",
    trackingNumber: "Tracking number",
    estimatedDelivery: "Estimated delivery",
    status: "Status",
    yourCode: "Your code",
    codeTerms: "Valid until {{ discount.expires_at }}. One use only.",
    careHeading: "How to care for it",
    surveyLow: "Poor",
    surveyHigh: "Excellent",
    from: "From",
    email: "Email",
    phone: "Phone",
    footerTransactional: "You're receiving this email because you placed an order with {{ shop.name }}.",
    footerMarketing: "You're receiving this email because you agreed to hear from {{ shop.name }}.",
    footerMerchant: "Avisa sent this alert to the {{ shop.name }} team.",
    unsubscribe: "Unsubscribe",
  },

  email: {
    order_confirmation: {
      subject: "Order {{ order.name }} confirmed. Thank you!",
      preview: "We've got your order and we're getting it ready.",
      heading: "Thanks for your order!",
      body: "We've received order {{ order.name }} and we're getting it ready. We'll let you know as soon as it ships.",
      button: "View your order",
      after: "Questions about your order? Write to us at {{ shop.email }}.",
    },
    shipping_update: {
      subject: "Your order {{ order.name }} is on its way",
      preview: "Track your package{% if fulfillment.estimated_delivery %}, expected {{ fulfillment.estimated_delivery }}{% endif %}.",
      heading: "Your order is on its way",
      body:
        "Good news: order {{ order.name }} has shipped{% if fulfillment.tracking_company %} with {{ fulfillment.tracking_company }}{% endif %}." +
        "{% if fulfillment.estimated_delivery %} It should arrive by {{ fulfillment.estimated_delivery }}.{% endif %}",
      button: "Track your package",
    },
    out_for_delivery: {
      subject: "Arriving today: your order {{ order.name }}",
      preview: "Your package is out for delivery and should reach you today.",
      heading: "Your order arrives today",
      body:
        "Your package with order {{ order.name }} is out for delivery and should reach you today.\n\n" +
        "Won't be home? The carrier's tracking page shows your delivery options.",
      button: "Track your package",
    },
    delivered: {
      subject: "Delivered: your order {{ order.name }}",
      preview: "Your package has arrived. We hope you love it!",
      heading: "Your order has arrived",
      body:
        "Order {{ order.name }} has been delivered. We hope you love everything in it!\n\n" +
        "Can't find your package? Check around your door, with your neighbors or at your building's front desk. " +
        "If it still hasn't turned up, write to us at {{ shop.email }} and we'll help.",
      button: "View your order",
    },
    delivery_problem: {
      subject: "A problem with the delivery of order {{ order.name }}",
      preview: "We're sorry. Here's what happens next, and how we can help.",
      heading: "Sorry, your delivery didn't go as planned",
      body:
        "We're sorry: {{ fulfillment.tracking_company | default: \"the carrier\" }} couldn't deliver order {{ order.name }}." +
        "{% if fulfillment.status %} Their latest update: {{ fulfillment.status }}.{% endif %}\n\n" +
        "What happens next: the carrier usually tries again on the next business day. If that doesn't work either, " +
        "they'll keep your package at a pickup point nearby. The tracking page shows where, and until when.\n\n" +
        "Want a different address or delivery time, or think the package is lost? Write to us at {{ shop.email }}" +
        "{% if shop.phone %} or call {{ shop.phone }}{% endif %} and we'll sort it out with the carrier for you.",
      button: "Track your package",
    },
    care_instructions: {
      subject: "How to care for your {{ product.title }}",
      preview: "A few simple tips to keep it looking its best for years.",
      heading: "Make it last",
      body: "Now that your {{ product.title }} has arrived, here are a few simple tips to keep it looking its best for years.",
      button: "View the product",
      after: "Any questions about caring for it? Write to us at {{ shop.email }}.",
    },
    cart_recovery: {
      subject: "You left something in your cart",
      preview: "Your items are saved. Finish your order whenever you're ready.",
      heading: "Still thinking it over?",
      body: "You left a few things in your cart at {{ shop.name }}. We've saved them for you, so you can pick up right where you left off.",
      button: "Finish your order",
      after: "Questions about a product, sizing or shipping? Write to us at {{ shop.email }}.",
    },
    cart_recovery_discount: {
      subject: "{{ discount.value }} off your cart, just for you",
      preview: "Use code {{ discount.code }} by {{ discount.expires_at }}.",
      heading: "Here's {{ discount.value }} off your order",
      body: "Your cart is still waiting for you, and we'd love to help you make it yours. Use this code at checkout to get {{ discount.value }} off.",
      button: "Finish your order",
    },
    review_request: {
      subject: "How do you like your {{ product.title }}?",
      preview: "A quick review takes a minute and helps other shoppers choose.",
      heading: "How's your {{ product.title }}?",
      body:
        "You've had your {{ product.title }} for a little while now, and we'd love to know what you think. " +
        "A quick review helps other shoppers choose, and helps us make better things.",
      button: "Write a review",
    },
    review_reminder: {
      subject: "Got a minute to review your {{ product.title }}?",
      preview: "Your honest opinion really helps. It only takes a minute.",
      heading: "Got a minute?",
      body:
        "We'd still love to hear about your {{ product.title }}. Good or bad, your honest review helps other shoppers " +
        "and helps us improve. It only takes a minute.",
      button: "Write a review",
    },
    satisfaction_survey: {
      subject: "One quick question about order {{ order.name }}",
      preview: "How would you rate your experience? Just tap a number.",
      heading: "How did we do?",
      body: "How would you rate your experience with order {{ order.name }}? Tap a number: 1 is poor and 5 is excellent.",
    },
    merchant_alert: {
      subject: "New message from {{ contact_request.name }}",
      preview: "{{ contact_request.message | truncate: 90 }}",
      heading: "You have a new message",
      body: "{{ contact_request.name }} wrote to you through your store's contact form.",
      button: "Reply in Avisa",
    },
  },

  sms: {
    order_confirmation: `{{ shop.name }}: Thanks${FIRST_NAME}! Order {{ order.name }} ({{ order.total }}) is confirmed. We'll text you when it ships. Details: {{ order.status_url }}`,
    shipping_update: `{{ shop.name }}: Your order {{ order.name }} is on its way!{% if fulfillment.estimated_delivery %} Expected {{ fulfillment.estimated_delivery }}.{% endif %} Track it: ${TRACKING_LINK}`,
    out_for_delivery: `{{ shop.name }}: Your order {{ order.name }} is out for delivery and should arrive today. Track it: ${TRACKING_LINK}`,
    delivered: "{{ shop.name }}: Your order {{ order.name }} has been delivered. Enjoy! Can't find it? Write to us at {{ shop.email }}",
    delivery_problem: `{{ shop.name }}: Sorry, the carrier couldn't deliver order {{ order.name }}. They'll try again or leave it at a pickup point: ${TRACKING_LINK} Need help? {{ shop.email }}`,
    care_instructions: `{{ shop.name }}: Enjoying your {{ product.title }}? Here's how to care for it: {{ product.url }} ${OPT_OUT}`,
    cart_recovery: `{{ shop.name }}: Hi${FIRST_NAME}, your cart is saved. Pick up where you left off: {{ checkout.recovery_url }} ${OPT_OUT}`,
    cart_recovery_discount: `{{ shop.name }}: Get {{ discount.value }} off your cart with code {{ discount.code }}, valid until {{ discount.expires_at }}: {{ checkout.recovery_url }} ${OPT_OUT}`,
    review_request: `{{ shop.name }}: How do you like your {{ product.title }}? Leave a quick review: {{ review.url }} ${OPT_OUT}`,
    review_reminder: `{{ shop.name }}: Got a minute to review your {{ product.title }}? {{ review.url }} ${OPT_OUT}`,
    satisfaction_survey: `{{ shop.name }}: How would you rate order {{ order.name }}? Reply with a number from 1 (poor) to 5 (excellent). ${OPT_OUT}`,
    merchant_alert: "{{ shop.name }}: New message from {{ contact_request.name }}. Read and reply: {{ contact_request.url }}",
  },

  whatsapp: {
    order_confirmation:
      `*{{ shop.name }}*\nThanks for your order${FIRST_NAME}! 🎉\n\n` +
      "Order {{ order.name }} · {{ order.total }}\n{% for item in order.items %}• {{ item.title }} × {{ item.quantity }}\n{% endfor %}\n" +
      "We'll message you here as soon as it ships.\nView your order: {{ order.status_url }}",
    shipping_update:
      "*{{ shop.name }}*\nYour order {{ order.name }} is on its way! 📦\n" +
      "{% if fulfillment.tracking_company %}\nCarrier: {{ fulfillment.tracking_company }}{% endif %}" +
      "{% if fulfillment.estimated_delivery %}\nExpected: {{ fulfillment.estimated_delivery }}{% endif %}\n\n" +
      `Track it here: ${TRACKING_LINK}`,
    out_for_delivery: `*{{ shop.name }}*\nYour order {{ order.name }} is out for delivery and should arrive today. 🚚\n\nTrack it here: ${TRACKING_LINK}`,
    delivered:
      "*{{ shop.name }}*\nYour order {{ order.name }} has been delivered. We hope you love it!\n\n" +
      "Can't find it? Reply to this message and we'll help.",
    delivery_problem:
      "*{{ shop.name }}*\nWe're sorry: the carrier couldn't deliver your order {{ order.name }}" +
      "{% if fulfillment.status %} ({{ fulfillment.status }}){% endif %}.\n\n" +
      "They usually try again the next business day. If that fails, they'll keep it at a pickup point nearby.\n" +
      `Details: ${TRACKING_LINK}\n\n` +
      "Need a different address or time? Reply here and we'll sort it out with the carrier.",
    care_instructions:
      "*{{ shop.name }}*\nHow to care for your {{ product.title }}:\n\n{{ care.instructions }}\n\n" +
      `Questions? Just reply to this message.\n\n_${OPT_OUT}_`,
    cart_recovery:
      `*{{ shop.name }}*\nHi${FIRST_NAME}, you left a few things in your cart:\n` +
      "{% for item in checkout.items %}• {{ item.title }}\n{% endfor %}\n" +
      `We've saved them for you. Finish your order: {{ checkout.recovery_url }}\n\n_${OPT_OUT}_`,
    cart_recovery_discount:
      "*{{ shop.name }}*\nYour cart is still waiting, so here's {{ discount.value }} off. 🎁\n\n" +
      "Code: *{{ discount.code }}*\nValid until {{ discount.expires_at }}.\n\n" +
      `Finish your order: {{ checkout.recovery_url }}\n\n_${OPT_OUT}_`,
    review_request:
      "*{{ shop.name }}*\nHow do you like your {{ product.title }}? ⭐\n\n" +
      `A quick review helps other shoppers choose: {{ review.url }}\n\n_${OPT_OUT}_`,
    review_reminder:
      "*{{ shop.name }}*\nGot a minute to review your {{ product.title }}? Your honest opinion really helps.\n\n" +
      `{{ review.url }}\n\n_${OPT_OUT}_`,
    satisfaction_survey:
      "*{{ shop.name }}*\nHow would you rate your experience with order {{ order.name }}?\n\n" +
      `Reply with a number from 1 (poor) to 5 (excellent).\n\n_${OPT_OUT}_`,
  },
};

export default en;
