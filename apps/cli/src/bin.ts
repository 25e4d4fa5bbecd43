console.log('nimc');
