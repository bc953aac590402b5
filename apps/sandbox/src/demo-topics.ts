/**
 * The demo brand's help topics (`HELP_TOPICS`): what /helpme offers in the sandbox. "Account"
 * answers itself (no case), "Payments" has a short form and goes to the Payments queue that
 * provisioning creates, "Bug" asks for the team's tech skill, "Other" goes to the default queue.
 */
export const DEMO_TOPICS = {
  topics: [
    {
      id: 'account',
      label: { en: 'Account & login', es: 'Cuenta e inicio de sesión' },
      emoji: '🔐',
      description: {
        en: 'Password resets, 2FA, linked accounts',
        es: 'Contraseñas, 2FA, cuentas vinculadas',
      },
      answer: {
        en: '**Resetting your password**\n1. Open the launcher and choose **Forgot password?**\n2. Follow the link we e-mail you (check spam).\n3. Lost access to your 2FA app? Use one of your backup codes under **Settings → Security**.',
        es: '**Restablecer tu contraseña**\n1. Abre el lanzador y elige **¿Olvidaste tu contraseña?**\n2. Sigue el enlace que te enviamos por correo (revisa el spam).\n3. ¿Perdiste tu app de 2FA? Usa un código de respaldo en **Ajustes → Seguridad**.',
      },
    },
    {
      id: 'payments',
      label: { en: 'Payments', es: 'Pagos' },
      emoji: '💳',
      description: { en: 'Charges, refunds, gems', es: 'Cargos, reembolsos, gemas' },
      form: {
        title: { en: 'About your payment', es: 'Sobre tu pago' },
        fields: [
          {
            id: 'order',
            label: { en: 'Order number', es: 'Número de pedido' },
            placeholder: { en: 'SA-1234 (in your receipt e-mail)', es: 'SA-1234 (en el correo del recibo)' },
            maxLength: 40,
          },
          {
            id: 'what',
            label: { en: 'What happened?', es: '¿Qué pasó?' },
            style: 'paragraph',
            required: false,
            maxLength: 1000,
          },
        ],
      },
      routing: { queue: 'Payments', priority: 5 },
    },
    {
      id: 'bug',
      label: { en: 'Something is broken', es: 'Algo no funciona' },
      emoji: '🐛',
      description: { en: 'Crashes, errors, lag', es: 'Cierres, errores, lag' },
      routing: { skills: ['tech'] },
    },
    {
      id: 'other',
      label: { en: 'Something else', es: 'Otra cosa' },
      emoji: '💬',
    },
  ],
};
